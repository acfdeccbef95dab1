-- A Domain filter lists its matches in name order; these two indexes let it do so without reading
-- every matching row.
-- Few matches: the page is picked from this index alone (top 101 by name among the matches);
-- only the rows on the page are read.
CREATE INDEX customers_by_domain_name ON customers (partner_id, domain_key, name_key, id);
-- Many matches (a prefix such as "t" matches a tenth of a large book): walk the customers whose
-- domain starts with the same character in name order, checking the rest of the prefix here.
CREATE INDEX customers_by_domain_initial
    ON customers (partner_id, substr(domain_key, 1, 1), name_key, id, domain_key);
