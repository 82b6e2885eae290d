//! Closed vocabularies sent as snake_case slugs: the wire carries the slug, the UI
//! translates it, and a request naming an unknown slug is refused with its field.

/// Declares a slug enum with `ALL`, `slug()` and `from_slug()`.
#[macro_export]
macro_rules! slug_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $slug:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn slug(self) -> &'static str {
                match self {
                    $($name::$variant => $slug,)+
                }
            }

            pub fn from_slug(s: &str) -> Option<Self> {
                match s {
                    $($slug => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

/// Parses a list of slugs for `field`: each known, no repeats, at most `max`; returns them
/// sorted so equal sets compare equal.
pub fn parse_list<T: Copy + Ord>(
    field: &'static str,
    raw: &[String],
    max: usize,
    required: bool,
    from_slug: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, crate::station::FieldError> {
    use crate::station::FieldError;
    if required && raw.is_empty() {
        return Err(FieldError::new(field, "choose at least one"));
    }
    if raw.len() > max {
        return Err(FieldError::new(field, format!("choose at most {max}")));
    }
    let mut out = Vec::with_capacity(raw.len());
    for s in raw {
        let v = from_slug(s.trim())
            .ok_or_else(|| FieldError::new(field, format!("{s:?} is not a known value")))?;
        if out.contains(&v) {
            return Err(FieldError::new(field, format!("{s:?} is listed twice")));
        }
        out.push(v);
    }
    out.sort();
    Ok(out)
}
