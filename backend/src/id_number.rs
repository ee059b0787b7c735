//! Resident ID numbers (GB 11643): the ISO 7064 MOD 11-2 check character, and the check of a
//! whole number as a ledger gives it.

/// The check character of the first 17 digits.
#[must_use]
pub fn check_char(body: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECKS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    CHECKS[(sum % 11) as usize]
}

/// Whether `id` is 17 digits and the right check character (a lower-case x accepted).
#[must_use]
pub fn is_valid(id: &str) -> bool {
    let id = id.trim();
    // ASCII first: byte positions below are character positions only then
    id.is_ascii()
        && id.len() == 18
        && id[..17].chars().all(|c| c.is_ascii_digit())
        && id[17..]
            .chars()
            .next()
            .is_some_and(|c| c.to_ascii_uppercase() == check_char(&id[..17]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multibyte_input_is_refused_not_sliced() {
        assert!(!is_valid("1234567890123456é"));
        assert!(!is_valid("１２３４５６７８９０１２３４５６７"));
    }

    #[test]
    fn check_digit_matches_the_standard_example() {
        // The worked example of GB 11643-1999.
        assert_eq!(check_char("11010519491231002"), 'X');
        assert!(is_valid("11010519491231002X") && is_valid("11010519491231002x"));
        assert!(
            !is_valid("110105194912310021")
                && !is_valid("1101051949123100")
                && !is_valid("11010519491231002Y")
        );
    }
}
