//! A remote user packed into one allocation, for the import table's listing: 50,000 users held
//! as [`RemoteUser`]s cost ~1 KB each (a 512-byte struct and a score of small strings, each its
//! own allocation); packed, the text of a user and a few length bytes, ~0.3 KB. The table reads
//! the few fields it filters and sorts by in place, and unpacks only the rows it shows and the
//! users an import writes, a part at a time.

use super::mapping::{Managed, RemoteUser};
use crate::directory::users::{Address, Phone};

/// The fields, in packed order: the table's own first (read in place), then the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Field {
    Id,
    UserName,
    GivenName,
    FamilyName,
    Email,
    Profile,
    Title,
    Department,
    ExternalId,
    DisplayName,
    UserType,
    EmployeeNumber,
    Organization,
    AddressKind,
    StreetAddress,
    Locality,
    Region,
    PostalCode,
    Country,
    PhoneKind,
    PhoneValue,
}

const ACTIVE: u8 = 1;
const HAS_PROFILE: u8 = 2;
const HAS_ADDRESS: u8 = 4;
const HAS_PHONE: u8 = 8;

/// One remote user: a flags byte, then each [`Field`] as a length (LEB128) and its UTF-8 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedUser(Box<[u8]>);

fn push(out: &mut Vec<u8>, s: &str) {
    let mut n = s.len();
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    out.extend_from_slice(s.as_bytes());
}

impl PackedUser {
    pub fn pack(r: &RemoteUser) -> Self {
        // Every field named: a field added to Managed must be packed too (this stops compiling).
        let Managed {
            external_id,
            user_name,
            given_name,
            family_name,
            display_name,
            email,
            active,
            user_type,
            title,
            address,
            phone,
            employee_number,
            department,
            organization,
        } = &r.managed;
        let mut flags = 0;
        if *active {
            flags |= ACTIVE;
        }
        if r.profile.is_some() {
            flags |= HAS_PROFILE;
        }
        if address.is_some() {
            flags |= HAS_ADDRESS;
        }
        if phone.is_some() {
            flags |= HAS_PHONE;
        }
        let a = address.clone().unwrap_or_default();
        let p = phone.clone().unwrap_or_default();
        let fields = [
            r.id.as_str(),
            user_name,
            given_name,
            family_name,
            email,
            r.profile.as_deref().unwrap_or_default(),
            title,
            department,
            external_id,
            display_name,
            user_type,
            employee_number,
            organization,
            &a.kind,
            &a.street_address,
            &a.locality,
            &a.region,
            &a.postal_code,
            &a.country,
            &p.kind,
            &p.value,
        ];
        let mut out = Vec::with_capacity(1 + fields.iter().map(|f| f.len() + 1).sum::<usize>());
        out.push(flags);
        for f in fields {
            push(&mut out, f);
        }
        PackedUser(out.into_boxed_slice())
    }

    fn flag(&self, bit: u8) -> bool {
        self.0.first().is_some_and(|f| f & bit != 0)
    }

    pub fn active(&self) -> bool {
        self.flag(ACTIVE)
    }

    /// The fields from the first, in order (each as packed; empty past the end).
    fn fields(&self) -> impl Iterator<Item = &str> {
        let mut at = 1;
        let bytes = &self.0;
        std::iter::from_fn(move || {
            let mut n = 0usize;
            let mut shift = 0;
            loop {
                let b = *bytes.get(at)?;
                at += 1;
                n |= usize::from(b & 0x7f) << shift;
                shift += 7;
                if b & 0x80 == 0 {
                    break;
                }
            }
            let text = bytes.get(at..at + n)?;
            at += n;
            Some(std::str::from_utf8(text).unwrap_or_default())
        })
    }

    /// One field, read in place.
    pub fn field(&self, f: Field) -> &str {
        self.fields().nth(f as usize).unwrap_or_default()
    }

    pub fn profile(&self) -> Option<&str> {
        self.flag(HAS_PROFILE).then(|| self.field(Field::Profile))
    }

    pub fn unpack(&self) -> RemoteUser {
        let mut it = self.fields().map(str::to_owned);
        let mut next = || it.next().unwrap_or_default();
        let (id, user_name, given_name, family_name, email, profile, title, department) = (
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
            next(),
        );
        let (external_id, display_name, user_type, employee_number, organization) =
            (next(), next(), next(), next(), next());
        let address = Address {
            kind: next(),
            street_address: next(),
            locality: next(),
            region: next(),
            postal_code: next(),
            country: next(),
        };
        let phone = Phone {
            kind: next(),
            value: next(),
        };
        RemoteUser {
            id,
            managed: Managed {
                external_id,
                user_name,
                given_name,
                family_name,
                display_name,
                email,
                active: self.active(),
                user_type,
                title,
                address: self.flag(HAS_ADDRESS).then_some(address),
                phone: self.flag(HAS_PHONE).then_some(phone),
                employee_number,
                department,
                organization,
            },
            profile: self.flag(HAS_PROFILE).then_some(profile),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> RemoteUser {
        RemoteUser {
            id: "005000000000001AAA".into(),
            managed: Managed {
                external_id: "ext-1".into(),
                user_name: "ann.lee@acme.example.com".into(),
                given_name: "Ann".into(),
                family_name: "Lée".into(),
                display_name: "Ann Lée".into(),
                email: "ann@acme.example.com".into(),
                active: true,
                user_type: "Employee".into(),
                title: "Engineer".into(),
                address: Some(Address {
                    kind: "work".into(),
                    street_address: "1 Main St".into(),
                    locality: "Lyon".into(),
                    region: "ARA".into(),
                    postal_code: "69001".into(),
                    country: "FR".into(),
                }),
                phone: Some(Phone {
                    kind: "work".into(),
                    value: "+33 1 23 45 67 89".into(),
                }),
                employee_number: "E-1".into(),
                department: "R&D".into(),
                organization: "Acme".into(),
            },
            profile: Some("Standard User".into()),
        }
    }

    #[test]
    fn a_user_unpacks_as_it_was_packed_with_or_without_its_optional_parts() {
        let u = full();
        assert_eq!(PackedUser::pack(&u).unpack(), u);
        let mut bare = u.clone();
        bare.managed.address = None;
        bare.managed.phone = None;
        bare.managed.active = false;
        bare.profile = None;
        bare.managed.title = "x".repeat(300); // a length of two bytes
        let p = PackedUser::pack(&bare);
        assert_eq!(p.unpack(), bare);
        assert!(!p.active());
        assert_eq!(p.profile(), None);
        assert_eq!(p.field(Field::Title).len(), 300);
        assert_eq!(
            p.field(Field::Department),
            "R&D",
            "the fields after a long one"
        );
    }

    #[test]
    fn the_tables_fields_read_in_place() {
        let p = PackedUser::pack(&full());
        assert_eq!(p.field(Field::Id), "005000000000001AAA");
        assert_eq!(p.field(Field::FamilyName), "Lée");
        assert_eq!(p.profile(), Some("Standard User"));
        assert!(p.active());
        assert_eq!(p.field(Field::PhoneValue), "+33 1 23 45 67 89");
    }
}
