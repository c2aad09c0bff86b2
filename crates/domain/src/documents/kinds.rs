//! The small closed vocabularies of the documents area, stored as snake_case text.

use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.as_str() == raw)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum! {
    /// Where a document stands. Nothing is deleted: a document that stops applying is
    /// marked, with its history in the audit log.
    DocumentStatus {
        /// Issued and applying.
        InForce => "in_force",
        /// Replaced by a newer document.
        Superseded => "superseded",
        /// Its period has ended (a plan for a finished year).
        Expired => "expired",
        /// Withdrawn by its issuer.
        Revoked => "revoked",
    }
}

text_enum! {
    /// Reviews of how a document was carried out (sơ kết / tổng kết).
    ReviewKind {
        /// Sơ kết: a review part-way through.
        Preliminary => "preliminary",
        /// Tổng kết: the final review.
        Final => "final",
    }
}

text_enum! {
    /// How a document is disseminated (học tập, quán triệt).
    DisseminationKind {
        /// A conference (hội nghị) for cadres and members.
        Conference => "conference",
        /// A class (lớp học tập) for members and others.
        Class => "class",
    }
}

text_enum! {
    /// Training courses. Figures are counted per kind.
    CourseKind {
        /// Political theory for new members, part of probation.
        NewMemberTheory => "new_member_theory",
        /// Awareness of the Party, for outstanding candidates (not members yet).
        Awareness => "awareness",
        /// Specialized classes (chuyên đề).
        Specialized => "specialized",
        /// Thematic conferences for key cadres.
        ThematicConference => "thematic_conference",
    }
}

text_enum! {
    /// The outcome of a course for one participant.
    CourseResult {
        Pass => "pass",
        Fail => "fail",
    }
}

text_enum! {
    /// Who a course participant is: a member of the registry, or a named person who is not
    /// a member (an outstanding candidate in an awareness class).
    ParticipantKind {
        Member => "member",
        Person => "person",
    }
}

impl CourseKind {
    /// The middle part of the figure keys of this kind (`training.<key>.classes`).
    pub fn figure_key(self) -> &'static str {
        match self {
            CourseKind::NewMemberTheory => "new_member",
            CourseKind::Awareness => "awareness",
            CourseKind::Specialized => "specialized",
            CourseKind::ThematicConference => "thematic_conference",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_through_text() {
        for k in CourseKind::ALL {
            assert_eq!(CourseKind::parse(k.as_str()), Some(*k));
        }
        for k in DocumentStatus::ALL {
            assert_eq!(DocumentStatus::parse(k.as_str()), Some(*k));
        }
        assert_eq!(ReviewKind::parse("final"), Some(ReviewKind::Final));
        assert_eq!(DisseminationKind::parse("lecture"), None);
        assert_eq!(
            serde_json::to_string(&CourseKind::NewMemberTheory).unwrap(),
            "\"new_member_theory\""
        );
    }
}
