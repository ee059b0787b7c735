//! The one list of the stable machine codes every error answer carries in `code`: the pages
//! word each as `error.<code>` (frontend/src/i18n), filling its `{slots}` from the answer's `values`.
//!
//! A code, once published, keeps its name and meaning; a new case gets a new code. The class
//! codes (`not_found`, `unprocessable` …) are the defaults of the answers no call site named
//! more precisely. docs/errors.md lists them all; the tests below hold the docs and the
//! dictionaries to this table.
use axum::http::StatusCode;

macro_rules! codes {
    ($($variant:ident = $name:literal, $status:ident, [$($slot:literal),*], $about:literal;)*) => {
        /// A stable machine code of an error answer.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Code { $($variant),* }

        impl Code {
            /// Every code, in the table's order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as the API sends it.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name),* }
            }

            /// The status the code is answered with (what a call site builds it from).
            #[must_use]
            pub fn status(self) -> StatusCode {
                match self { $(Code::$variant => StatusCode::$status),* }
            }

            /// The names of the `values` the code's answer carries (its sentence's slots).
            #[must_use]
            pub fn slots(self) -> &'static [&'static str] {
                match self { $(Code::$variant => &[$($slot),*]),* }
            }

            /// What the code means, for docs/errors.md.
            #[must_use]
            pub fn about(self) -> &'static str {
                match self { $(Code::$variant => $about),* }
            }
        }
    };
}

codes! {
    // the class codes: the default of each status, and the `error` field of every answer
    BadRequest = "bad_request", BAD_REQUEST, [], "the request is malformed";
    Unauthorized = "unauthorized", UNAUTHORIZED, [], "no valid session: log in";
    Forbidden = "forbidden", FORBIDDEN, [], "the caller's role or region may not do this";
    NotFound = "not_found", NOT_FOUND, [], "the thing named does not exist";
    MethodNotAllowed = "method_not_allowed", METHOD_NOT_ALLOWED, [], "the path does not take this method";
    Timeout = "timeout", REQUEST_TIMEOUT, [], "the request took too long to arrive";
    Conflict = "conflict", CONFLICT, [], "the subject changed meanwhile: read again and retry";
    TooLarge = "too_large", PAYLOAD_TOO_LARGE, [], "the request body is too large";
    UnsupportedMediaType = "unsupported_media_type", UNSUPPORTED_MEDIA_TYPE, [], "the body is not of a type the path takes";
    Unprocessable = "unprocessable", UNPROCESSABLE_ENTITY, [], "the content is not acceptable";
    TooManyRequests = "too_many_requests", TOO_MANY_REQUESTS, ["retry_after"], "too many requests: retry after so many seconds";
    Internal = "internal", INTERNAL_SERVER_ERROR, [], "the server failed; the cause is in its log";
    Unavailable = "unavailable", SERVICE_UNAVAILABLE, [],
        "the service cannot do this now (a missing report font, every report slot busy): the message says which";
    // input
    InvalidField = "invalid_field", UNPROCESSABLE_ENTITY, ["field"],
        "a field (of the body, query or path) is not acceptable; 400 for a query or path, 422 for a body";
    InvalidValue = "invalid_value", UNPROCESSABLE_ENTITY, [], "a value cannot be stored (too long, out of range, malformed)";
    // logging in and sessions
    WrongPassword = "wrong_password", UNAUTHORIZED, [], "wrong user name or password";
    LockedOut = "locked_out", TOO_MANY_REQUESTS, ["retry_after", "minutes"],
        "the account is locked after failed logins: retry after so many seconds or ask an admin";
    TooManyLogins = "too_many_logins", TOO_MANY_REQUESTS, ["retry_after"], "too many failed logins from this address";
    AccountDisabled = "account_disabled", FORBIDDEN, [], "the account is disabled";
    LoginRequired = "login_required", UNAUTHORIZED, [], "no session was sent: log in";
    SessionExpired = "session_expired", UNAUTHORIZED, [], "the session is unknown or expired: log in again";
    KioskTokenInvalid = "kiosk_token_invalid", UNAUTHORIZED, [], "the wall display's token is revoked or was never issued";
    // permission
    CsrfHeaderMissing = "csrf_header_missing", FORBIDDEN, [], "an upload lacks the X-Requested-With header (a form on another site)";
    OriginMismatch = "origin_mismatch", FORBIDDEN, [], "the write comes from another site's page";
    ForbiddenRole = "forbidden_role", FORBIDDEN, [], "the caller's role may not do this";
    OutsideRegion = "outside_region", FORBIDDEN, ["region"], "the subject lies outside the caller's region";
    OutsideGroup = "outside_group", FORBIDDEN, ["household"], "the household is not held by a work group of the caller (group write scope)";
    KioskReadOnly = "kiosk_read_only", FORBIDDEN, [], "a wall display's session only reads";
    // things that do not exist
    ProjectNotFound = "project_not_found", NOT_FOUND, ["project"], "no project has this id or code";
    RegionNotFound = "region_not_found", NOT_FOUND, ["region"], "no region has this code";
    HouseholdNotFound = "household_not_found", NOT_FOUND, ["id"], "no household has this id";
    SubjectNotFound = "subject_not_found", NOT_FOUND, ["subject", "id"], "no building, parcel or household has this id";
    // status writes
    StaleVersion = "stale_version", CONFLICT, ["subject", "id", "version", "sent", "status"],
        "the subject changed since the caller read it; `current` is its state now";
    StatusMovedOn = "status_moved_on", CONFLICT, [], "another write moved the subject's status on meanwhile";
    // the procedure ledger (docs/procedure.md)
    StepNotFound = "step_not_found", NOT_FOUND, ["project", "step"], "the project's procedure has no step with this key";
    StepTransition = "step_transition", CONFLICT, ["step", "from", "to"],
        "a step moves only by starting, finishing, waiving or reopening";
    StepPrerequisitesMissing = "step_prerequisites_missing", CONFLICT, ["project", "step", "missing"],
        "a step starts or finishes only after its prerequisites are done or waived";
    StepTooEarly = "step_too_early", UNPROCESSABLE_ENTITY, ["step", "earliest", "basis"],
        "the step's legal minimum period has not run: done no earlier than `earliest`";
    StepDateFuture = "step_date_future", UNPROCESSABLE_ENTITY, ["field", "day"], "a step's actual day is in the future (Beijing)";
    StepDatesOrder = "step_dates_order", UNPROCESSABLE_ENTITY, ["field", "day", "earliest"],
        "a step's day is before the day it may be at the earliest (its start, or a prerequisite's end)";
    StepWindowByClock = "step_window_by_clock", UNPROCESSABLE_ENTITY, ["step"], "a legal window opens and closes by its clock, not by hand";
    // uploads
    UploadTooLarge = "upload_too_large", PAYLOAD_TOO_LARGE, ["file", "limit"], "the file is larger than the route takes";
    UploadWrongType = "upload_wrong_type", UNPROCESSABLE_ENTITY, ["file", "allowed"], "the file's name does not end in a type the route takes";
    UploadBadName = "upload_bad_name", UNPROCESSABLE_ENTITY, [], "the file's name is a path, hidden, or not 1 to 200 characters";
    UploadMissing = "upload_missing", UNPROCESSABLE_ENTITY, [], "no multipart field `file` was sent";
    UploadBrokenOff = "upload_broken_off", BAD_REQUEST, [], "the upload broke off before it was complete";
    UploadEmpty = "upload_empty", UNPROCESSABLE_ENTITY, ["file"], "the file is empty";
    UploadUnreadable = "upload_unreadable", UNPROCESSABLE_ENTITY, [], "the file cannot be read as the format its name says";
    ZipUnreadable = "zip_unreadable", UNPROCESSABLE_ENTITY, ["file"], "the zip cannot be opened";
    ZipContent = "zip_content", UNPROCESSABLE_ENTITY, ["file"], "the zip holds what the import does not take (see the message)";
    ZipTooLarge = "zip_too_large", PAYLOAD_TOO_LARGE, ["file", "member"], "a member of the zip unpacks past the limit";
    ImportsBusy = "imports_busy", TOO_MANY_REQUESTS, ["retry_after"], "as many imports as allowed are running: retry later";
    // importing: the file and its rows
    CrsUnknown = "crs_unknown", UNPROCESSABLE_ENTITY, ["crs"], "the coordinate system named is not known";
    CrsMissing = "crs_missing", UNPROCESSABLE_ENTITY, ["file", "row", "at"],
        "the file names no coordinate system and row `row`'s coordinate `at` is not longitude/latitude: choose the CRS";
    TooManyFeatures = "too_many_features", UNPROCESSABLE_ENTITY, ["file", "most"], "the file holds more features than the route takes";
    CsvNotUtf8 = "csv_not_utf8", UNPROCESSABLE_ENTITY, ["file"], "a CSV is not UTF-8";
    ImportRow = "import_row", UNPROCESSABLE_ENTITY, ["row"], "a row of the file cannot be read (see the message)";
    RowNotTransformable = "row_not_transformable", UNPROCESSABLE_ENTITY, ["row"], "a row's coordinates cannot be transformed to WGS84";
    RowNoGeometry = "row_no_geometry", UNPROCESSABLE_ENTITY, ["row"], "a row has no geometry";
    RowNotPolygon = "row_not_polygon", UNPROCESSABLE_ENTITY, ["row", "kind"], "a row's geometry is not a polygon";
    RowClosedPolyline = "row_closed_polyline", UNPROCESSABLE_ENTITY, ["row"], "a closed polyline was read as a polygon (repaired)";
    RowRingClosed = "row_ring_closed", UNPROCESSABLE_ENTITY, ["row"], "an unclosed ring was closed (repaired)";
    RowInvalidGeometry = "row_invalid_geometry", UNPROCESSABLE_ENTITY, ["row", "at"], "a row's polygon is invalid near `at` (lon lat)";
    RowRepaired = "row_repaired", UNPROCESSABLE_ENTITY, ["row", "at"], "a row's invalid polygon near `at` was made valid";
    RowNothingLeft = "row_nothing_left", UNPROCESSABLE_ENTITY, ["row", "at"], "nothing was left of a row's polygon after repair";
    RowSliver = "row_sliver", UNPROCESSABLE_ENTITY, ["row", "area"], "a row's area is zero or a sliver";
    RowFarAway = "row_far_away", UNPROCESSABLE_ENTITY, ["row", "km", "project", "crs"], "a row lies far from the project: is the CRS right?";
    RowNoCode = "row_no_code", UNPROCESSABLE_ENTITY, ["row"], "a row has no code (编码)";
    RowCodeRepeated = "row_code_repeated", UNPROCESSABLE_ENTITY, ["row", "code", "rows"], "a row's code is also in other rows";
    RowOutsideParcels = "row_outside_parcels", UNPROCESSABLE_ENTITY, ["row", "project"], "a building lies outside every parcel of the project";
    RowCodeOtherProject = "row_code_other_project", UNPROCESSABLE_ENTITY, ["row", "code", "project"], "a row's code belongs to another project";
    RowBuildingNeeds = "row_building_needs", UNPROCESSABLE_ENTITY, ["row", "fields"], "a new building needs floors and floor area";
    RowParcelNeedsLandUse = "row_parcel_needs_land_use", UNPROCESSABLE_ENTITY, ["row"], "a new parcel needs its land use (地类)";
    RowAxesSwapped = "row_axes_swapped", UNPROCESSABLE_ENTITY, ["row"], "a row's latitude and longitude look swapped";
    RowUnitsFeet = "row_units_feet", UNPROCESSABLE_ENTITY, ["row", "crs"],
        "a row's coordinates look like feet read as metres (or the reverse) in `crs`";
    RowLargerThanProject = "row_larger_than_project", UNPROCESSABLE_ENTITY, ["row", "area", "project", "project_area"],
        "a row's area is larger than all of the project";
    RowAreaUnlikeFile = "row_area_unlike_file", UNPROCESSABLE_ENTITY, ["row", "area", "median"],
        "a row's area is 50 times the file's median or less than a 50th of it (a warning)";
    RowDuplicateGeometry = "row_duplicate_geometry", UNPROCESSABLE_ENTITY, ["row", "rows"], "a row has the same outline as an earlier row";
    RowOverlapsOtherProject = "row_overlaps_other_project", UNPROCESSABLE_ENTITY, ["row", "area", "share", "projects"],
        "part of a parcel lies in other projects' parcels (rejected from a tenth of it, a warning below)";
    RowCrossesParcel = "row_crosses_parcel", UNPROCESSABLE_ENTITY, ["row", "area", "share"], "part of a building lies outside its parcel (a warning)";
    RowFloorAreaSquareFeet = "row_floor_area_square_feet", UNPROCESSABLE_ENTITY, ["row", "ratio"],
        "a building's floor area is about 10.76 times its footprint on each floor: square feet? (a warning)";
    RowFieldInvalid = "row_field_invalid", UNPROCESSABLE_ENTITY, ["row", "field"], "a row's field holds a value the import does not take";
    RowBuildingNotInProject = "row_building_not_in_project", UNPROCESSABLE_ENTITY, ["row", "building"], "a ledger row names a building not in the project";
    RowHouseholdMoves = "row_household_moves", UNPROCESSABLE_ENTITY, ["row", "code", "building"],
        "a ledger row would move a household to another building";
    // the rules the database enforces (backend/src/refusals.rs), each by its rule's name
    BuildingDemolishedAfterAllVacated = "building_demolished_after_all_vacated", CONFLICT, [],
        "a building is demolished only after all its households have vacated";
    ParcelStatusFollowsBuildings = "parcel_status_follows_buildings", CONFLICT, [], "a parcel's status follows its buildings'";
    StatusEventFromCurrent = "status_event_from_current", CONFLICT, [], "a status change starts from the subject's current status";
    GateStepNotDone = "gate_step_not_done", CONFLICT, ["project", "gate", "step", "step_name", "state"],
        "the procedure's gate is shut: the step that opens it (signing, 补偿决定, demolition) is not done";
    GateFundsShort = "gate_funds_short", CONFLICT, ["project", "allocated", "budget"],
        "signing waits for the compensation funds: the project's allocations are below its budget";
    CompensationDecisionOnce = "compensation_decision_once", CONFLICT, [], "the household already has a 补偿决定 in force";
    HouseholdAlreadySigned = "household_already_signed", CONFLICT, ["id", "status"], "the household has signed: no 补偿决定 for it";
    CaseOpenOnce = "case_open_once", CONFLICT, [], "the household already has an open 疑难个案";
    AgreementHasPayments = "agreement_has_payments", CONFLICT, [], "the household has payments: its agreement stays";
    AgreementNotOverpaid = "agreement_not_overpaid", UNPROCESSABLE_ENTITY, [], "payments would pass the household's agreed compensation";
    PaymentNeedsSignedAgreement = "payment_needs_signed_agreement", UNPROCESSABLE_ENTITY, [], "no payment before the agreement is signed";
    SwapSettlementNeedsAgreement = "swap_settlement_needs_agreement", UNPROCESSABLE_ENTITY, [], "no 选房 settlement before signing";
    PaymentPaidOnce = "payment_paid_once", CONFLICT, [], "this idempotency key was used: the payment exists";
    PaymentHouseholdOncePerBatch = "payment_household_once_per_batch", UNPROCESSABLE_ENTITY, [], "the household is already in this batch";
    PaymentBatchOpen = "payment_batch_open", UNPROCESSABLE_ENTITY, [], "the batch no longer takes payments";
    PaymentInBatchProject = "payment_in_batch_project", UNPROCESSABLE_ENTITY, [], "the household is not in the batch's project";
    BatchWithinAllocations = "batch_within_allocations", UNPROCESSABLE_ENTITY, [], "paying the batch would pass the project's allocations (拨入)";
    BatchDutiesSeparate = "batch_duties_separate", UNPROCESSABLE_ENTITY, [], "one person takes one step of a batch: someone else must take this one";
    BatchStepHolder = "batch_step_holder", UNPROCESSABLE_ENTITY, [], "the step is another role's or office's";
    BatchStepOrder = "batch_step_order", UNPROCESSABLE_ENTITY, [], "the batch's steps are taken in order";
    BatchStepOnce = "batch_step_once", UNPROCESSABLE_ENTITY, [], "the step was already taken";
    BatchStepsSigned = "batch_steps_signed", UNPROCESSABLE_ENTITY, [], "a step needs a signature";
    BatchChainInForce = "batch_chain_in_force", UNPROCESSABLE_ENTITY, [], "the batch follows the approval chain in force";
    BatchStatusWithChains = "batch_status_with_chains", UNPROCESSABLE_ENTITY, [], "the batch's status follows its chain's steps";
    BatchReturnHasReason = "batch_return_has_reason", UNPROCESSABLE_ENTITY, [], "sending a batch back needs a reason";
    ApprovalChainVersionOnce = "approval_chain_version_once", CONFLICT, [], "the approval chain was changed meanwhile";
    ApprovalChainNumbered = "approval_chain_numbered", UNPROCESSABLE_ENTITY, [], "an approval chain's steps are numbered 1, 2, …";
    ApprovalChainFixed = "approval_chain_fixed", UNPROCESSABLE_ENTITY, [], "an approval chain in use is not changed";
    ApprovalStepKeyOnce = "approval_step_key_once", UNPROCESSABLE_ENTITY, [], "a chain names each step key once";
    ApprovalStepNameOnce = "approval_step_name_once", UNPROCESSABLE_ENTITY, [], "a chain names each step once";
    // procedure templates and the holiday calendar (docs/procedure.md)
    TemplateNotFound = "template_not_found", NOT_FOUND, ["id"], "no procedure template has this id";
    TemplateStepInvalid = "template_step_invalid", UNPROCESSABLE_ENTITY, ["seq", "key", "field", "rule"],
        "a step of a new template version breaks a rule (`rule`, see docs/procedure.md): step `seq` (`key`), field `field`";
    TemplateGateMissing = "template_gate_missing", UNPROCESSABLE_ENTITY, ["gate"], "no step of the new template version opens this gate";
    TemplateVersionMoved = "template_version_moved", CONFLICT, ["kind", "version", "based_on"],
        "another admin saved a newer version of the template meanwhile: read it again";
    CalendarDayOutsideYear = "calendar_day_outside_year", UNPROCESSABLE_ENTITY, ["day", "year"], "a listed day is not a day of the year replaced";
    CalendarDayTwice = "calendar_day_twice", UNPROCESSABLE_ENTITY, ["day"], "a day is listed twice";
    CalendarHolidayOnWeekend = "calendar_holiday_on_weekend", UNPROCESSABLE_ENTITY, ["day"],
        "a 节假日 listed falls on a weekend day, a rest day already: list holidays on weekdays";
    CalendarWorkdayOnWeekday = "calendar_workday_on_weekday", UNPROCESSABLE_ENTITY, ["day"],
        "a 调休上班 day listed falls on a weekday, worked already: list worked days on weekends";
    // close-out and archive (docs/procedure.md)
    ProjectArchived = "project_archived", CONFLICT, ["project"], "the project is archived: its data is read-only";
    ProjectOpen = "project_open", CONFLICT, ["project", "open"],
        "the project cannot be settled: `open` names what is not finished (steps, households, parcels, payments)";
    ProjectNotSettled = "project_not_settled", CONFLICT, ["project"], "only a settled project is archived: settle it first";
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl Code {
    /// The class code of a status: the `error` field of every answer, and the code of an answer
    /// no call site named more precisely (axum's own 404, 405, 413, 415 …).
    #[must_use]
    pub fn of_status(status: StatusCode) -> Code {
        match status {
            StatusCode::NOT_FOUND => Code::NotFound,
            StatusCode::CONFLICT => Code::Conflict,
            StatusCode::METHOD_NOT_ALLOWED => Code::MethodNotAllowed,
            StatusCode::REQUEST_TIMEOUT => Code::Timeout,
            StatusCode::UNAUTHORIZED => Code::Unauthorized,
            StatusCode::FORBIDDEN => Code::Forbidden,
            StatusCode::PAYLOAD_TOO_LARGE => Code::TooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Code::UnsupportedMediaType,
            StatusCode::UNPROCESSABLE_ENTITY => Code::Unprocessable,
            StatusCode::TOO_MANY_REQUESTS => Code::TooManyRequests,
            StatusCode::SERVICE_UNAVAILABLE => Code::Unavailable,
            s if s.is_server_error() => Code::Internal,
            _ => Code::BadRequest,
        }
    }

    /// The code named `name`, if the table has one.
    #[must_use]
    pub fn named(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    fn file(path: &str) -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(root.join(path)).expect("a file of the repository")
    }

    /// The `{slots}` of a dictionary's sentence for `key`, or None when it has no `key`.
    fn sentence_slots(dictionary: &str, key: &str) -> Option<Vec<String>> {
        let entry = format!("'{key}': ");
        let start = dictionary.find(&entry)? + entry.len();
        let line = dictionary[start..].lines().next().unwrap_or_default();
        let mut slots: Vec<String> = line
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_owned()))
            .collect();
        slots.sort_unstable();
        Some(slots)
    }

    #[test]
    fn every_code_has_a_chinese_and_an_english_sentence_filling_only_its_slots() {
        for path in ["frontend/src/i18n/zh.ts", "frontend/src/i18n/en.ts"] {
            let dictionary = file(path);
            for code in Code::ALL {
                let key = format!("error.{}", code.as_str());
                let slots = sentence_slots(&dictionary, &key)
                    .unwrap_or_else(|| panic!("{path} lacks {key}"));
                for slot in &slots {
                    assert!(
                        code.slots().contains(&slot.as_str()),
                        "{path}: {key} fills {{{slot}}}, which the code does not carry"
                    );
                }
            }
        }
    }

    #[test]
    fn every_code_is_documented_and_named_once() {
        let docs = file("docs/errors.md");
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        for name in &names {
            assert!(
                docs.contains(&format!("`{name}`")),
                "docs/errors.md does not list `{name}`"
            );
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{name}: codes are snake_case"
            );
        }
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "a code is in the table twice");
    }
}
