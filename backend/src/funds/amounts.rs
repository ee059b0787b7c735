//! Sums of money and notes as the funds routes take them: yuan with at most two decimals (fen),
//! above zero and within crate::validate's bounds, turned into whole fen so nothing is rounded
//! on the way into the database; notes and reasons without control characters.
use crate::error::{AppError, AppResult};
use crate::validate;

/// `yuan` in fen, or a 422 naming `field`: not a positive number, beyond `max`, or finer than a
/// fen (0.004 would round to nothing, 12.345 to a sum nobody asked for).
pub fn fen(field: &str, yuan: f64, max: f64) -> AppResult<i64> {
    let yuan = validate::yuan(field, yuan, max).map_err(AppError::Unprocessable)?;
    if yuan <= 0.0 {
        return Err(AppError::Unprocessable(format!(
            "{field}: {yuan} is not a positive amount of yuan"
        )));
    }
    let fen = (yuan * 100.0).round();
    // a float of a two-decimal sum is within a hair of whole fen; within the bounds the hair is < 1e-3
    if (fen - yuan * 100.0).abs() > 1e-3 {
        return Err(AppError::Unprocessable(format!(
            "{field}: {yuan} has more than two decimals; amounts are yuan to the fen (0.01)"
        )));
    }
    Ok(fen as i64)
}

/// Free text kept with money (a note, a send-back's reason): at most `max` characters, no
/// control characters but tab and line breaks.
pub fn note<'a>(field: &str, text: &'a str, max: usize) -> AppResult<&'a str> {
    let text = validate::text(field, text.trim()).map_err(AppError::Unprocessable)?;
    validate::max_chars(field, text, max).map_err(AppError::Unprocessable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::MAX_HOUSEHOLD_YUAN;

    #[test]
    fn whole_fen_pass_and_fractions_of_a_fen_do_not() {
        assert_eq!(fen("yuan", 0.01, MAX_HOUSEHOLD_YUAN).ok(), Some(1));
        assert_eq!(fen("yuan", 1234.56, MAX_HOUSEHOLD_YUAN).ok(), Some(123_456));
        assert_eq!(
            fen("yuan", 9_999_999_999.99, MAX_HOUSEHOLD_YUAN).ok(),
            Some(999_999_999_999)
        );
        for bad in [
            0.004,
            0.005,
            12.345,
            0.0,
            -1.0,
            f64::NAN,
            f64::INFINITY,
            1e10 + 0.01,
            1e300,
        ] {
            let refused = fen("payments[0].yuan", bad, MAX_HOUSEHOLD_YUAN).expect_err("refused");
            assert!(
                refused.to_string().starts_with("payments[0].yuan: "),
                "{bad}: {refused}"
            );
        }
    }

    #[test]
    fn notes_are_trimmed_and_free_of_control_characters() {
        assert_eq!(note("note", "  第3批 ", 10).ok(), Some("第3批"));
        assert!(note("note", "a\0b", 10).is_err());
        assert!(note("note", &"长".repeat(11), 10).is_err());
    }
}
