//! The legal procedure a project follows (docs/procedure.md): templates per project kind, the
//! project's ledger of steps with deadlines in Beijing working days, the gates the data respects,
//! and the stage each project is in. The rules of time live in SQL (`period_end`,
//! `project_steps_due`, `procedure_stage` in backend/sql/schema/), so every reader agrees.
pub mod calendar;
pub mod checks;
pub mod decisions;
pub mod documents;
pub mod gates;
pub mod plan;
pub mod read;
pub mod template_rules;
pub mod templates;
pub mod write;
