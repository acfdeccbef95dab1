//! Word lists the demo data is built from.

use crate::api::Role;

/// The first Contoso customers, chosen to exercise display: scripts, accents, ampersands, length.
pub const SPECIAL_NAMES: &[&str] = &[
    "Müller & Söhne GmbH",
    "株式会社サンプル",
    "The International Consolidated Amalgamated Holding Company for Cloud Services, Licensing and Subscriptions (Europe) Ltd.",
    "Café Olé S.à r.l.",
    "ООО «Пример Софт»",
    "Łódź Logistyka Sp. z o.o.",
    "北京示例科技有限公司",
    "Ørsted Vind ApS",
    "Ελληνικές Λύσεις Α.Ε.",
    "주식회사 샘플테크",
    "Smith & Jones Ltd",
    "شركة المثال للتقنية",
    "São Paulo Soluções Ltda.",
    "Citroën Partenaires SAS",
];

pub const PREFIXES: &[&str] = &[
    "Blue",
    "Northern",
    "Alpine",
    "Coastal",
    "Summit",
    "Golden",
    "Silver",
    "Evergreen",
    "Pacific",
    "Atlantic",
    "Urban",
    "Prairie",
    "Harbor",
    "Maple",
    "Cedar",
    "Lakeside",
    "Riverside",
    "Grünwald",
    "Nordström",
    "Øresund",
    "Zürich",
    "Bergen",
    "Crescent",
    "Ironwood",
    "Juniper",
    "Keystone",
    "Lighthouse",
    "Meridian",
    "Oakridge",
    "Pinecrest",
    "Quayside",
    "Redwood",
    "Sunrise",
    "Tidewater",
    "Vineyard",
    "Westbrook",
    "Yellowstone",
    "Aurora",
    "Beacon",
    "Copperfield",
];

pub const CORES: &[&str] = &[
    "Dental",
    "Logistics",
    "Bakery",
    "Legal",
    "Consulting",
    "Engineering",
    "Veterinary",
    "Architecture",
    "Accounting",
    "Pharmacy",
    "Brewing",
    "Robotics",
    "Textiles",
    "Marine",
    "Solar",
    "Analytics",
    "Clinic",
    "Fitness",
    "Printing",
    "Travel",
    "Café",
    "Bäckerei",
    "Média",
    "Hotels",
    "Insurance",
    "Motors",
    "Foods",
    "Design",
    "Software",
    "Realty",
];

pub const PLACES: &[&str] = &[
    "Nordic",
    "Iberia",
    "Benelux",
    "Pacific",
    "Midwest",
    "Alps",
    "Baltic",
    "Bavaria",
    "Kanto",
    "Québec",
    "Ontario",
    "Texas",
    "Lombardia",
    "Île-de-France",
    "Scotland",
    "Wales",
];

pub const SUFFIXES: &[&str] = &[
    "Ltd",
    "Inc.",
    "GmbH",
    "LLC",
    "S.A.",
    "B.V.",
    "AB",
    "Oy",
    "Pty Ltd",
    "K.K.",
    "S.r.l.",
    "SAS",
    "& Co.",
    "Group",
    "& Partners",
    "AG",
    "A/S",
    "Corp.",
];

pub const JP_FAMILY: &[&str] = &[
    "山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村",
];
pub const JP_TRADE: &[&str] = &["商事", "工業", "技研", "電機", "物産", "システムズ"];
pub const RU_WORDS: &[&str] = &["Север", "Альфа", "Вектор", "Гранит", "Орбита", "Сибирь"];
pub const RU_TRADE: &[&str] = &["Софт", "Логистик", "Технологии", "Сервис", "Трейд"];
pub const ZH_CITY: &[&str] = &["上海", "深圳", "杭州", "成都", "广州", "南京"];
pub const ZH_TRADE: &[&str] = &["云科技", "软件", "贸易", "信息技术", "网络"];

pub const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Chloé", "David", "Elif", "Fatima", "Göran", "Hiro", "Ines", "Jonas", "Kenji",
    "Laura", "Mateo", "Nadia", "Olga", "Pierre", "Quinn", "Rosa", "Søren", "Tomás", "Uma", "Vera",
    "Wei", "Yusuf", "Zoë", "Émile", "Björn", "Priya", "Sakura", "Liam",
];

pub const LAST_NAMES: &[&str] = &[
    "Schmidt",
    "García",
    "Nakamura",
    "Okafor",
    "Johansson",
    "Rossi",
    "Dubois",
    "Kowalski",
    "Chen",
    "Müller",
    "O'Brien",
    "Silva",
    "Novak",
    "Yilmaz",
    "Andersen",
    "Fernández",
    "Tanaka",
    "Ivanova",
    "Smith",
    "Nguyen",
    "Kaya",
    "Larsen",
    "Moreau",
    "Costa",
    "Jensen",
    "Patel",
    "Singh",
    "Brown",
];

pub struct Country {
    pub code: &'static str,
    pub culture: &'static str,
    pub language: &'static str,
    pub state: &'static str,
    pub phone: &'static str,
    pub cities: &'static [&'static str],
    pub streets: &'static [&'static str],
}

pub const COUNTRIES: &[Country] = &[
    Country {
        code: "US",
        culture: "en-US",
        language: "en",
        state: "WA",
        phone: "+1",
        cities: &["Seattle", "Redmond", "Spokane", "Tacoma"],
        streets: &["Main Street", "Pine Avenue", "Lake Road", "Market Street"],
    },
    Country {
        code: "DE",
        culture: "de-DE",
        language: "de",
        state: "",
        phone: "+49",
        cities: &["München", "Köln", "Düsseldorf", "Berlin"],
        streets: &[
            "Hauptstraße",
            "Bahnhofstraße",
            "Gartenweg",
            "Schillerstraße",
        ],
    },
    Country {
        code: "GB",
        culture: "en-GB",
        language: "en",
        state: "",
        phone: "+44",
        cities: &["London", "Manchester", "Leeds", "Bristol"],
        streets: &[
            "High Street",
            "Station Road",
            "Church Lane",
            "Victoria Road",
        ],
    },
    Country {
        code: "FR",
        culture: "fr-FR",
        language: "fr",
        state: "",
        phone: "+33",
        cities: &["Paris", "Lyon", "Orléans", "Besançon"],
        streets: &[
            "Rue de la Paix",
            "Avenue Foch",
            "Rue Victor Hugo",
            "Boulevard Saint-Michel",
        ],
    },
    Country {
        code: "JP",
        culture: "ja-JP",
        language: "ja",
        state: "",
        phone: "+81",
        cities: &["東京", "大阪", "横浜", "札幌"],
        streets: &["銀座", "梅田", "中央通り", "本町"],
    },
    Country {
        code: "NO",
        culture: "nb-NO",
        language: "nb",
        state: "",
        phone: "+47",
        cities: &["Oslo", "Bergen", "Tromsø", "Ålesund"],
        streets: &["Karl Johans gate", "Storgata", "Kirkegata", "Bryggen"],
    },
    Country {
        code: "BR",
        culture: "pt-BR",
        language: "pt",
        state: "SP",
        phone: "+55",
        cities: &["São Paulo", "Campinas", "Santos", "Ribeirão Preto"],
        streets: &[
            "Avenida Paulista",
            "Rua Augusta",
            "Rua da Consolação",
            "Rua Oscar Freire",
        ],
    },
];

pub struct Offer {
    pub id: &'static str,
    pub name: &'static str,
    /// Empty for usage-based offers, which carry no licenses.
    pub sku: &'static str,
    pub sku_id: &'static str,
}

pub const OFFERS: &[Offer] = &[
    Offer {
        id: "CFQ7TTC0LCHC:0002",
        name: "Microsoft 365 Business Premium",
        sku: "SPB",
        sku_id: "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46",
    },
    Offer {
        id: "DZH318Z0BPS6:0001",
        name: "Azure plan",
        sku: "",
        sku_id: "",
    },
    Offer {
        id: "CFQ7TTC0LH16:0001",
        name: "Exchange Online (Plan 1)",
        sku: "EXCHANGESTANDARD",
        sku_id: "4b9405b0-7788-4568-add1-99614e613b69",
    },
    Offer {
        id: "CFQ7TTC0LFLX:0001",
        name: "Microsoft 365 E3",
        sku: "SPE_E3",
        sku_id: "05e9a617-0261-4cee-bb44-138d3ef5d965",
    },
    Offer {
        id: "CFQ7TTC0LH18:0001",
        name: "Microsoft 365 Business Basic",
        sku: "O365_BUSINESS_ESSENTIALS",
        sku_id: "3b555118-da6a-4418-894f-7df1e2096870",
    },
    Offer {
        id: "CFQ7TTC0LH1G:0001",
        name: "Power BI Pro",
        sku: "POWER_BI_PRO",
        sku_id: "f8a1db68-be16-40ed-86d5-cb42ce701560",
    },
    Offer {
        id: "CFQ7TTC0RM8K:0001",
        name: "Microsoft Teams Essentials",
        sku: "TEAMS_ESSENTIALS",
        sku_id: "7a1f5a0b-d5c1-4c57-8f8b-6a0fb1b3c1a4",
    },
    Offer {
        id: "CFQ7TTC0LCHT:0001",
        name: "Microsoft Defender for Business",
        sku: "MDE_SMB",
        sku_id: "5b9b6c8e-2a3f-4a0e-9a9d-4c1f3e7b2d10",
    },
    Offer {
        id: "CFQ7TTC0LHSV:0001",
        name: "Visio Plan 2",
        sku: "VISIOCLIENT",
        sku_id: "c5928f49-12ba-48f7-ada3-0d743a3601d5",
    },
    Offer {
        id: "CFQ7TTC0LH2H:0001",
        name: "Dynamics 365 Business Central Essentials",
        sku: "DYN365_BUSCENTRAL_ESSENTIAL",
        sku_id: "2880026b-2b0c-4251-8656-5d41ff11e3aa",
    },
];

pub const CONTOSO_STAFF: &[(&str, Role)] = &[
    ("Alex Wilber", Role::GlobalAdmin),
    ("Megan Bowen", Role::AdminAgent),
    ("Lee Gu", Role::SalesAgent),
    ("Pradeep Gupta", Role::HelpdeskAgent),
];

pub const FABRIKAM_STAFF: &[(&str, Role)] = &[
    ("Adele Vance", Role::GlobalAdmin),
    ("Diego Siciliani", Role::AdminAgent),
    ("Isaiah Langer", Role::SalesAgent),
    ("Johanna Lorenz", Role::HelpdeskAgent),
];

pub const CONTOSO_RESELLERS: &[(&str, &str)] = &[
    ("Northwind Traders", "Seattle, US"),
    ("Adventure Works Cloud", "London, GB"),
    ("Tailspin Toys Reseller", "München, DE"),
];

pub const FABRIKAM_RESELLERS: &[(&str, &str)] = &[("Wingtip Solutions", "Oslo, NO")];
