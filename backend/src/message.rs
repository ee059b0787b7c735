//! What the server says to people: a key of the pages' dictionaries (`frontend/src/i18n/`) and
//! the values its `{slots}` take; the pages word it in the reader's language.
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize, Clone, Debug)]
pub struct Message {
    pub key: String,
    pub values: Value,
}
