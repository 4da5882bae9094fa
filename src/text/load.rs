//! Decoding bytes into text without moving any offset.

use thiserror::Error;

/// Why bytes could not be decoded as UTF-8.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("not valid UTF-8 at byte {offset} (re-encode the file as UTF-8, or pass --lossy to replace bad bytes)")]
pub struct DecodeError {
    /// Byte offset of the first invalid byte.
    pub offset: usize,
}

/// Decodes `bytes` as UTF-8.
///
/// With `lossy`, every invalid byte becomes one `?`, so that byte offsets in
/// the decoded text still point at the same places in the original bytes
/// (U+FFFD would take three bytes and shift everything after it).
pub fn decode(bytes: Vec<u8>, lossy: bool) -> Result<String, DecodeError> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            if !lossy {
                return Err(DecodeError { offset });
            }
            let mut bytes = e.into_bytes();
            let mut pos = 0;
            while pos < bytes.len() {
                match std::str::from_utf8(&bytes[pos..]) {
                    Ok(_) => break,
                    Err(err) => {
                        let bad_at = pos + err.valid_up_to();
                        let bad_len = err.error_len().unwrap_or(bytes.len() - bad_at);
                        for b in &mut bytes[bad_at..bad_at + bad_len] {
                            *b = b'?';
                        }
                        pos = bad_at + bad_len;
                    }
                }
            }
            Ok(String::from_utf8(bytes).expect("every invalid byte was replaced"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_offset_of_first_bad_byte() {
        let err = decode(b"abc\xffdef".to_vec(), false).unwrap_err();
        assert_eq!(err.offset, 3);
    }

    #[test]
    fn lossy_keeps_offsets() {
        let s = decode(b"ab\xff\xfecd\xc3".to_vec(), true).unwrap();
        assert_eq!(s, "ab??cd?");
        assert_eq!(s.len(), 7);
    }
}
