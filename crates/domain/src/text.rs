//! Vietnamese text: diacritic-insensitive search keys and the Vietnamese collation.

use unicode_normalization::UnicodeNormalization;

/// Lower-case, diacritics removed, `đ` folded to `d`, whitespace collapsed: the key that
/// makes "nguyen van a" find "Nguyễn Văn A".
pub fn fold(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut last_space = true;
    for c in raw.nfd() {
        let c = match c {
            'đ' | 'Đ' => 'd',
            c if is_combining(c) => continue,
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        out.extend(c.to_lowercase());
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn is_combining(c: char) -> bool {
    ('\u{0300}'..='\u{036f}').contains(&c)
}

/// The 29 letters of the Vietnamese alphabet in order; `f j w z` follow for foreign names.
const ALPHABET: [&str; 33] = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l", "m", "n", "o", "ô", "ơ",
    "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y", "f", "j", "w", "z",
];

/// Tone marks, in dictionary order after the level tone: huyền, hỏi, ngã, sắc, nặng.
const TONES: [char; 5] = ['\u{0300}', '\u{0309}', '\u{0303}', '\u{0301}', '\u{0323}'];

/// A sort key whose byte order is the Vietnamese order of names: by given name (the last
/// word) first, then by the full name, letters before tones (`a < à < ă`, `d < đ`).
/// The key is ASCII, so a plain binary collation sorts it.
pub fn sort_key(full_name: &str) -> String {
    let words: Vec<&str> = full_name.split_whitespace().collect();
    let given = words.last().copied().unwrap_or("");
    let (given_letters, _) = weights(given);
    let (letters, tones) = weights(&words.join(" "));
    format!("{given_letters}!{letters}!{tones}")
}

/// Splits text into a letter key and a tone key, one character each per letter.
fn weights(text: &str) -> (String, String) {
    let mut letters = String::new();
    let mut tones = String::new();
    for grapheme in split_letters(&text.to_lowercase()) {
        let (base, tone) = grapheme;
        match ALPHABET.iter().position(|l| *l == base) {
            Some(i) => letters.push(char::from(b'A' + i as u8)),
            None => match base.chars().next() {
                Some(' ') => letters.push(' '),
                Some(c) if c.is_ascii_digit() => letters.push(c),
                _ => letters.push('~'),
            },
        }
        tones.push(char::from(b'0' + tone));
    }
    (letters, tones)
}

/// Each letter as (letter with its shape marks, precomposed; tone number 0-5).
fn split_letters(text: &str) -> Vec<(String, u8)> {
    let mut out: Vec<(String, u8)> = Vec::new();
    for c in text.nfd() {
        if let Some(t) = TONES.iter().position(|t| *t == c) {
            if let Some(last) = out.last_mut() {
                last.1 = t as u8 + 1;
            }
        } else if is_combining(c) {
            if let Some(last) = out.last_mut() {
                last.0.push(c);
                last.0 = last.0.nfc().collect();
            }
        } else {
            out.push((c.to_string(), 0));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fold_removes_marks_and_case() {
        assert_eq!(fold("Nguyễn Văn A"), "nguyen van a");
        assert_eq!(fold("  Đặng   Xuân Phương "), "dang xuan phuong");
        assert_eq!(fold("ĐẢNG ỦY"), "dang uy");
    }

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by_key(|n| sort_key(n));
        v
    }

    #[test]
    fn sorts_by_given_name_then_full_name() {
        assert_eq!(
            sorted(&["Trần Văn Bình", "Nguyễn Thị An", "Lê Anh", "Phạm An"]),
            vec!["Nguyễn Thị An", "Phạm An", "Lê Anh", "Trần Văn Bình"]
        );
    }

    #[test]
    fn vietnamese_letters_follow_their_base() {
        // a < ă < â < b, d < đ < e, o < ô < ơ, u < ư < v
        assert_eq!(
            sorted(&["Bá", "Ân", "Ăn", "An"]),
            vec!["An", "Ăn", "Ân", "Bá"]
        );
        assert_eq!(sorted(&["Em", "Đức", "Dũng"]), vec!["Dũng", "Đức", "Em"]);
        assert_eq!(sorted(&["Vũ", "Ưng", "Uyên"]), vec!["Uyên", "Ưng", "Vũ"]);
    }

    #[test]
    fn tones_break_ties_after_letters() {
        assert_eq!(
            sorted(&["Ạn", "Án", "Àn", "An"]),
            vec!["An", "Àn", "Án", "Ạn"]
        );
        // A toneless letter later in the alphabet still sorts after a toned earlier one.
        assert_eq!(sorted(&["Ăn", "Ạn"]), vec!["Ạn", "Ăn"]);
    }

    proptest! {
        #[test]
        fn fold_is_idempotent_and_ascii_for_vietnamese(s in "[a-zA-Z àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵĐ]{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(once.is_ascii());
        }

        #[test]
        fn sort_key_never_panics(s in "\\PC{0,40}") {
            let _ = sort_key(&s);
        }
    }
}
