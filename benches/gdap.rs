//! GDAP figures (issue 10): placeholder while the bench is written.
fn main() {}
