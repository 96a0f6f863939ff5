//! IAM-style wildcard matching: `*` matches any run of characters (including none, and across
//! `:` and `/`), `?` matches exactly one character. Everything else matches literally.
//!
//! The matcher is the classic two-pointer algorithm with a single backtrack point: when a
//! mismatch happens after a `*`, only the most recent `*` is retried one character further on.
//! That is correct because a later `*` can absorb anything an earlier one could, so the cost is
//! at most `O(pattern × text)` and never exponential, whatever the pattern.

/// Case-sensitive match, as IAM does for resource ARNs.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    match_with(pattern, text, |p, t| p == t)
}

/// ASCII case-insensitive match, as IAM does for actions (`KMS:decrypt` matches `kms:Decrypt`).
pub fn glob_match_ignore_case(pattern: &str, text: &str) -> bool {
    match_with(pattern, text, |p, t| p.eq_ignore_ascii_case(&t))
}

fn match_with(pattern: &str, text: &str, eq: impl Fn(char, char) -> bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    // Position of the last `*` seen, and the text position it is currently made to absorb up to.
    let mut star: Option<usize> = None;
    let mut resume = 0usize;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            resume = ti;
            pi += 1;
        } else if pi < p.len() && (p[pi] == '?' || eq(p[pi], t[ti])) {
            pi += 1;
            ti += 1;
        } else if let Some(s) = star {
            // Let the last `*` swallow one more character and retry from just after it.
            resume += 1;
            ti = resume;
            pi = s + 1;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_wildcards() {
        assert!(glob_match("abc", "abc"));
        assert!(!glob_match("abc", "abd"));
        assert!(!glob_match("abc", "ab"));
        assert!(!glob_match("ab", "abc"));
        assert!(glob_match("*", ""));
        assert!(glob_match("*", "arn:aws:s3:::bucket/key"));
        assert!(glob_match("a*c", "abbbc"));
        assert!(glob_match("a*c", "ac"));
        assert!(!glob_match("a?c", "ac"));
        assert!(glob_match("a?c", "abc"));
        assert!(glob_match("**", "x"));
        assert!(!glob_match("", "x"));
        assert!(glob_match("", ""));
    }

    #[test]
    fn star_crosses_colons_and_slashes() {
        assert!(glob_match(
            "arn:aws:s3:::reports/*",
            "arn:aws:s3:::reports/2024/06/a.csv"
        ));
        assert!(glob_match(
            "arn:*:key/*",
            "arn:aws:kms:eu-west-1:111122223333:key/abc"
        ));
    }

    #[test]
    fn question_marks_count_exactly() {
        let pat = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-??????";
        assert!(glob_match(
            pat,
            "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbC123"
        ));
        assert!(!glob_match(
            pat,
            "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbC12"
        ));
        assert!(!glob_match(
            pat,
            "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-old-AbC123"
        ));
    }

    #[test]
    fn case_rules() {
        assert!(!glob_match("Secret", "secret"));
        assert!(glob_match_ignore_case("KMS:decrypt", "kms:Decrypt"));
        assert!(glob_match_ignore_case(
            "kms:reencrypt*",
            "kms:ReEncryptFrom"
        ));
    }

    #[test]
    fn pathological_pattern_is_fast() {
        let text = "a".repeat(5_000);
        let pattern = format!("{}b", "*a".repeat(40));
        assert!(!glob_match(&pattern, &text));
        let pattern = format!("{}*", "a*".repeat(40));
        assert!(glob_match(&pattern, &text));
    }
}
