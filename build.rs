//! Rebuilds when a migration is added or renamed: `sqlx::migrate!` embeds the migrations
//! directory, but cargo only tracks files it has already seen.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
