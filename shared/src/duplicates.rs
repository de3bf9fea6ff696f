//! Duplicate children caught before registration.
//!
//! Why: a child returned home is often registered twice. Two fieldworkers meet the same family,
//! or a child the CWC sends back again is entered anew, one time as "Sooraj Yadav" from a
//! shelter's English list and another as "सूरज यादव" from a Hindi order. Two cases for one child
//! split the visits, the claims and the court dates between them, and each looks half-followed.
//! So before a child is registered the phone asks [`similar`] for the likely same child among
//! its cases, and the fieldworker decides.
//!
//! How: a likely duplicate has
//!
//! - the same **name**, after both names went through [`name_tokens`]: Devanagari is
//!   transliterated to Latin letters ([`devanagari_to_latin`], a small table written here), and
//!   every word is folded to a key ([`word_key`]) that forgets what Hindi names are commonly spelt
//!   in more than one way in English (oo/u, ee/i, doubled letters, v/w/b, ph/f, sh/s, z/j, an
//!   aspirate's h, a final or unstressed "a"). The given names (first words) must be equal, and
//!   the shorter name's other words must all be in the longer one, after dropping the words that
//!   say nothing about who the child is (Kumar, Kumari, Devi, Md...): "Suraj Kumar Yadav" is
//!   "Suraj Yadav" and "सूरज", but not "Sunil Yadav" nor "Suraj Paswan". The child's other names
//!   count, on both sides;
//! - the same **district** (compared as places: [`same_place`]);
//! - an **age** within [`AGE_TOLERANCE`] years today (ages are often estimated);
//! - and the same **village** or the same **caregiver** (by name, as above).
//!
//! A child recorded as a girl and one recorded as a boy are never the same child: many Hindi
//! names come as a pair that this folding makes equal (Kamal and Kamla, Sunil and Sunila).
//!
//! The key deliberately keeps the vowels other than an unstressed "a": siblings with one surname
//! in one village differ in their given names, and "Rani" and "Rina" or "Ravi" and "Rani" must
//! stay apart. The price is that a real typo ("Suarj") is not caught; the fieldworker still sees
//! the list of the village's children when registering.
//!
//! Why not a crate: the transliteration crates on crates.io either target Sanskrit (IAST keeps
//! every inherent "a", which is what Hindi drops: सूरज is "Suraj", not "Sūraja"), carry the tables
//! of twenty scripts as data, or romanise every script of Unicode without knowing Hindi's
//! schwa. Matching needs neither fidelity nor breadth, only one script folded the way
//! fieldworkers spell, so the table below is 70 lines that a test pins down, and `shared` keeps
//! its small dependency tree.

use std::cmp::Reverse;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{Case, Child, Profile, Sex};

/// How many years two ages may differ and still be one child's (many ages are estimates).
pub const AGE_TOLERANCE: u32 = 2;

/// One fact a likely duplicate shares with the child being registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// The name, or one of the other names, on either side.
    Name,
    /// The district.
    District,
    /// The age, within [`AGE_TOLERANCE`] years.
    Age,
    /// The village.
    Village,
    /// The caregiver's name.
    Caregiver,
}

impl Fact {
    /// The stable key (`name`, `district`, `age`, `village`, `caregiver`), for screens and files.
    pub fn key(self) -> &'static str {
        match self {
            Fact::Name => "name",
            Fact::District => "district",
            Fact::Age => "age",
            Fact::Village => "village",
            Fact::Caregiver => "caregiver",
        }
    }
}

/// A case that may be the same child as the one being registered, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Likeness {
    /// The existing case.
    pub case_id: String,
    /// Its child's name.
    pub name: String,
    /// The case's name or other name that matched one of the new child's names.
    pub matched_name: String,
    /// Its village.
    pub village: String,
    /// Its district.
    pub district: String,
    /// Its child's age today.
    pub age: u32,
    /// What the two share, in [`Fact`] order: always name, district and age, then village,
    /// caregiver or both.
    pub matched: Vec<Fact>,
    /// Who follows the case, when it is held on the server and not on this phone (the server's
    /// answer to a phone's question before it registers a child: `POST /api/v1/duplicates`);
    /// `None` for a case of this phone.
    #[serde(default)]
    pub followed_by: Option<String>,
}

/// The body of `POST /api/v1/duplicates`: a phone, online, asks the server whether the child it
/// is about to register is already followed on another phone of the fieldworker's areas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DuplicateQuery {
    /// The child about to be registered.
    pub profile: Profile,
}

/// The server's answer: the likely duplicates among the active cases of the user's areas, best
/// first (at most [`MAX_REMOTE_MATCHES`]), each with who follows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DuplicateAnswer {
    /// The likely duplicates.
    pub matches: Vec<Likeness>,
}

/// The most matches the server gives a phone for one question.
pub const MAX_REMOTE_MATCHES: usize = 5;

/// The cases among `cases` that are likely the child of `profile`, best first: more shared
/// facts first, then a whole name (not only the given name) in common, then the nearer age,
/// then by case id. The case of `profile` itself (same id) is never listed.
pub fn similar<'a>(
    profile: &Profile,
    cases: impl IntoIterator<Item = &'a Case>,
    today: NaiveDate,
) -> Vec<Likeness> {
    let new = Person::of(&profile.child);
    let age = profile.child.birth.age_on(today);
    let mut found: Vec<(Likeness, bool, u32)> = cases
        .into_iter()
        .filter(|c| c.id != profile.case_id)
        .filter_map(|c| {
            let old = Person::of(&c.child);
            let age_of_case = c.age_on(today);
            let (matched_name, whole) = new.name_match(&old)?;
            if opposite_sexes(profile.child.sex, c.child.sex)
                || !same_place(&profile.child.address.district, &c.child.address.district)
                || age.abs_diff(age_of_case) > AGE_TOLERANCE
            {
                return None;
            }
            let mut matched = vec![Fact::Name, Fact::District, Fact::Age];
            if same_place(&profile.child.address.village, &c.child.address.village) {
                matched.push(Fact::Village);
            }
            if new.same_caregiver(&old) {
                matched.push(Fact::Caregiver);
            }
            if matched.len() == 3 {
                return None;
            }
            let likeness = Likeness {
                case_id: c.id.clone(),
                name: c.child.name.clone(),
                matched_name: matched_name.to_owned(),
                village: c.child.address.village.clone(),
                district: c.child.address.district.clone(),
                age: age_of_case,
                matched,
                followed_by: None,
            };
            Some((likeness, whole, age.abs_diff(age_of_case)))
        })
        .collect();
    found.sort_by(|(a, a_whole, a_gap), (b, b_whole, b_gap)| {
        (
            Reverse(a.matched.len()),
            Reverse(*a_whole),
            *a_gap,
            &a.case_id,
        )
            .cmp(&(
                Reverse(b.matched.len()),
                Reverse(*b_whole),
                *b_gap,
                &b.case_id,
            ))
    });
    found.into_iter().map(|(l, _, _)| l).collect()
}

/// A child's names and caregiver's name as keys, computed once per child.
struct Person<'a> {
    /// Each name (the name, then the other names) with its tokens.
    names: Vec<(&'a str, Vec<String>)>,
    caregiver: Option<Vec<String>>,
}

impl<'a> Person<'a> {
    fn of(child: &'a Child) -> Person<'a> {
        let names = std::iter::once(&child.name)
            .chain(&child.other_names)
            .map(|n| (n.as_str(), name_tokens(n)))
            .filter(|(_, t)| !t.is_empty())
            .collect();
        let caregiver = child
            .caregiver
            .as_ref()
            .map(|c| name_tokens(&c.name))
            .filter(|t| !t.is_empty());
        Person { names, caregiver }
    }

    /// The other person's name that matched, and whether some pair matched as a whole (the
    /// same words, not only a given name in common).
    fn name_match(&self, other: &Person<'a>) -> Option<(&'a str, bool)> {
        let mut best: Option<(&'a str, bool)> = None;
        for (_, mine) in &self.names {
            for (theirs_text, theirs) in &other.names {
                if tokens_match(mine, theirs) {
                    let whole = mine == theirs;
                    if best.is_none_or(|(_, w)| whole && !w) {
                        best = Some((*theirs_text, whole));
                    }
                }
            }
        }
        best
    }

    fn same_caregiver(&self, other: &Person<'_>) -> bool {
        match (&self.caregiver, &other.caregiver) {
            (Some(a), Some(b)) => tokens_match(a, b),
            _ => false,
        }
    }
}

/// Whether the recorded sexes rule out one child ("x", another or unrecorded, rules out nothing).
fn opposite_sexes(a: Sex, b: Sex) -> bool {
    matches!((a, b), (Sex::Female, Sex::Male) | (Sex::Male, Sex::Female))
}

/// Whether two names are likely one person's: see the module documentation.
pub fn same_name(a: &str, b: &str) -> bool {
    tokens_match(&name_tokens(a), &name_tokens(b))
}

/// Whether two place names (villages, districts) are likely one place: the same words after
/// transliteration and folding, spaces and hyphens aside ("Bodh Gaya", "Bodhgaya", "बोधगया").
pub fn same_place(a: &str, b: &str) -> bool {
    let (a, b) = (place_key(a), place_key(b));
    !a.is_empty() && a == b
}

fn place_key(place: &str) -> String {
    words(place).map(|w| word_key(&w)).collect()
}

/// Given names equal, and every other word of the shorter name in the longer one.
fn tokens_match(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    match (short.split_first(), long.split_first()) {
        (Some((given, rest)), Some((other_given, other_rest))) => {
            given == other_given && rest.iter().all(|w| other_rest.contains(w))
        }
        _ => false,
    }
}

/// Words that tell nothing of who a child is: Bihar's middle names and the ones that stand for
/// a surname, and the abbreviations of Mohammad. Written as people write them; compared by key.
const FILLERS: &[&str] = &[
    "kumar",
    "kumari",
    "kr",
    "devi",
    "md",
    "mohd",
    "mohammad",
    "mohammed",
    "muhammad",
    "कुमार",
    "कुमारी",
    "देवी",
    "मो",
    "मोहम्मद",
    "मुहम्मद",
];

/// The keys of [`FILLERS`], made once.
static FILLER_KEYS: LazyLock<Vec<String>> =
    LazyLock::new(|| FILLERS.iter().map(|f| word_key(f)).collect());

/// A name's words as keys ([`word_key`]), without the words that say nothing of who a child is
/// (Kumar, Kumari, Devi, Md, Mohammad...) unless the name is nothing else.
pub fn name_tokens(name: &str) -> Vec<String> {
    let all: Vec<String> = words(name)
        .map(|w| word_key(&w))
        .filter(|k| !k.is_empty())
        .collect();
    let kept: Vec<String> = all
        .iter()
        .filter(|k| !FILLER_KEYS.contains(*k))
        .cloned()
        .collect();
    if kept.is_empty() { all } else { kept }
}

/// The words of a name or place, lowercase, with Devanagari transliterated.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || is_devanagari_sign(c)))
        .filter(|w| !w.is_empty())
        .map(|w| devanagari_to_latin(&w.to_lowercase()))
}

/// The key of one word (Latin or Devanagari): equal keys mean "spelt differently, said the same".
///
/// In order: Devanagari to Latin; Latin letters with diacritics to plain ones (ā: aa, ś: sh);
/// x: ks, q: k, c: k (but ch stays an affricate, chh too), ph: f, sh: s, z: j, w and v: b
/// (Bihar says Binod and Bikas for Vinod and Vikas); an h after a consonant dropped
/// (kh, gh, th, dh, bh, jh: the aspirate is often not written); ee: i, oo: u; doubled letters
/// single; a final y after a consonant: i (Pinky, Pinki); an unstressed medial "a" dropped
/// (Hindi's schwa deletion, `delete_schwas`: Kamala, Kamla); a final "a" after a consonant
/// dropped (Puja, Pooja, पूजा).
pub fn word_key(word: &str) -> String {
    let latin = devanagari_to_latin(&word.to_lowercase());
    let mut s = String::with_capacity(latin.len());
    for c in latin.chars() {
        match c {
            'ā' | 'â' => s.push_str("aa"),
            'ī' | 'î' => s.push_str("ii"),
            'ū' | 'û' => s.push_str("uu"),
            'á' | 'à' | 'ä' => s.push('a'),
            'é' | 'è' | 'ē' | 'ê' | 'ë' => s.push('e'),
            'í' | 'ì' | 'ï' => s.push('i'),
            'ó' | 'ò' | 'ō' | 'ô' | 'ö' => s.push('o'),
            'ú' | 'ù' | 'ü' => s.push('u'),
            'ś' | 'ṣ' => s.push_str("sh"),
            'ṇ' | 'ñ' | 'ṅ' | 'ṃ' | 'ṁ' => s.push('n'),
            'ṭ' => s.push('t'),
            'ḍ' => s.push('d'),
            'ṛ' => s.push('r'),
            'ḥ' => s.push('h'),
            c if c.is_ascii_alphabetic() => s.push(c),
            // Digits and letters of other scripts stay as they are: they still compare equal.
            c if c.is_alphanumeric() => s.push(c),
            _ => {}
        }
    }
    let s = fold_consonants(&s);
    let s = s.replace("ee", "i").replace("oo", "u");
    let mut k: Vec<char> = s.chars().collect();
    k.dedup();
    if k.len() >= 2 && k[k.len() - 1] == 'y' && !is_vowel(k[k.len() - 2]) {
        let last = k.len() - 1;
        k[last] = 'i';
    }
    delete_schwas(&mut k);
    if k.len() >= 3 && k[k.len() - 1] == 'a' && !is_vowel(k[k.len() - 2]) {
        k.pop();
    }
    k.into_iter().collect()
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

fn is_consonant(c: char) -> bool {
    c.is_ascii_lowercase() && !is_vowel(c)
}

/// The consonant spellings folded: see [`word_key`]. `c` stands for the affricate (ch, chh).
fn fold_consonants(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let next = chars.get(i + 1).copied();
        let c = chars[i];
        match c {
            'c' if next == Some('h') => {
                out.push('c');
                i += 2;
                // chh is ch.
                while chars.get(i) == Some(&'h') {
                    i += 1;
                }
                continue;
            }
            'c' => out.push('k'),
            'x' => out.extend(['k', 's']),
            'q' => out.push('k'),
            'p' if next == Some('h') => {
                out.push('f');
                i += 2;
                continue;
            }
            'z' => out.push('j'),
            'w' | 'v' => out.push('b'),
            // An h after a consonant: the aspirate (kh, bh), or the h of sh (s).
            'h' if out.last().is_some_and(|p| is_consonant(*p)) => {}
            c => out.push(c),
        }
        i += 1;
    }
    out.into_iter().collect()
}

/// Hindi's schwa deletion on the folded word: an "a" with a vowel and a consonant before it
/// and a consonant and a vowel after it is dropped (kamala: kamla). Left to right, unlike the
/// textbook rule: names and places are compounds, and Devanagari writes an inherent "a" at the
/// joint that English spellings leave out (रामनगर: Ramnagar, बोधगया: Bodhgaya), while the
/// textbook's right-to-left order would drop the one after it.
fn delete_schwas(k: &mut Vec<char>) {
    let mut i = 2;
    while i + 2 < k.len() {
        if k[i] == 'a'
            && is_vowel(k[i - 2])
            && is_consonant(k[i - 1])
            && is_consonant(k[i + 1])
            && is_vowel(k[i + 2])
        {
            k.remove(i);
        } else {
            i += 1;
        }
    }
}

// The Devanagari table. Consonants carry an inherent "a" that a vowel sign replaces, the
// virama removes, and a word's end drops (Hindi says सूरज "Suraj"); a nukta changes the sound
// (ज़ z, फ़ f, ड़ r). Letters are spelt as Bihar's fieldworkers spell them in English, without
// distinguishing retroflex from dental (ट and त are both t): the key forgets it anyway.

/// A consonant's Latin spelling, with a nukta when `nukta`.
fn consonant(c: char, nukta: bool) -> Option<&'static str> {
    Some(match (c, nukta) {
        ('क', false) => "k",
        ('क', true) => "q",
        ('ख', false) => "kh",
        ('ख', true) => "kh",
        ('ग', _) => "g",
        ('घ', _) => "gh",
        ('ङ', _) => "n",
        ('च', _) => "ch",
        ('छ', _) => "chh",
        ('ज', false) => "j",
        ('ज', true) => "z",
        ('झ', _) => "jh",
        ('ञ', _) => "n",
        ('ट', _) => "t",
        ('ठ', _) => "th",
        ('ड', false) => "d",
        ('ड', true) => "r",
        ('ढ', false) => "dh",
        ('ढ', true) => "rh",
        ('ण', _) => "n",
        ('त', _) => "t",
        ('थ', _) => "th",
        ('द', _) => "d",
        ('ध', _) => "dh",
        ('न', _) => "n",
        ('प', _) => "p",
        ('फ', false) => "ph",
        ('फ', true) => "f",
        ('ब', _) => "b",
        ('भ', _) => "bh",
        ('म', _) => "m",
        ('य', _) => "y",
        ('र', _) => "r",
        ('ल', _) => "l",
        ('व', _) => "v",
        ('श', _) => "sh",
        ('ष', _) => "sh",
        ('स', _) => "s",
        ('ह', _) => "h",
        // Precomposed nukta letters, U+0958 to U+095F (क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़): Unicode normalisation
        // decomposes them, but not every keyboard normalises.
        ('\u{0958}', _) => "q",
        ('\u{0959}', _) => "kh",
        ('\u{095A}', _) => "g",
        ('\u{095B}', _) => "z",
        ('\u{095C}', _) => "r",
        ('\u{095D}', _) => "rh",
        ('\u{095E}', _) => "f",
        ('\u{095F}', _) => "y",
        _ => return None,
    })
}

/// An independent vowel's spelling.
fn vowel(c: char) -> Option<&'static str> {
    Some(match c {
        'अ' => "a",
        'आ' => "aa",
        'इ' => "i",
        'ई' => "ii",
        'उ' => "u",
        'ऊ' => "uu",
        'ऋ' => "ri",
        'ए' | 'ऍ' => "e",
        'ऐ' => "ai",
        'ओ' | 'ऑ' => "o",
        'औ' => "au",
        _ => return None,
    })
}

/// A vowel sign's (matra's) spelling: it replaces the consonant's inherent "a".
fn vowel_sign(c: char) -> Option<&'static str> {
    Some(match c {
        'ा' => "aa",
        'ि' => "i",
        'ी' => "ii",
        'ु' => "u",
        'ू' => "uu",
        'ृ' => "ri",
        'े' | 'ॅ' => "e",
        'ै' => "ai",
        'ो' | 'ॉ' => "o",
        'ौ' => "au",
        _ => return None,
    })
}

const VIRAMA: char = '्';
const NUKTA: char = '़';
const ANUSVARA: char = 'ं';
const CHANDRABINDU: char = 'ँ';
const VISARGA: char = 'ः';

/// Combining signs of Devanagari that split would otherwise cut out of a word.
fn is_devanagari_sign(c: char) -> bool {
    ('\u{0900}'..='\u{0903}').contains(&c)
        || ('\u{093A}'..='\u{094F}').contains(&c)
        || ('\u{0951}'..='\u{0957}').contains(&c)
        || ('\u{0962}'..='\u{0963}').contains(&c)
        || c == '\u{200C}'
        || c == '\u{200D}'
}

/// Devanagari letters to Latin ones by the table of this module's source, with Hindi's final
/// schwa dropped; other characters are copied. ज्ञ is "gy" (ज्ञान: Gyan).
pub fn devanagari_to_latin(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    // A consonant was written and its inherent "a" is not yet decided.
    let mut schwa = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let nukta = chars.get(i + 1) == Some(&NUKTA);
        if let Some(latin) = consonant(c, nukta) {
            if schwa {
                out.push('a');
            }
            if c == 'ज' && chars.get(i + 1) == Some(&VIRAMA) && chars.get(i + 2) == Some(&'ञ') {
                out.push_str("gy");
                i += 3;
            } else {
                out.push_str(latin);
                i += if nukta { 2 } else { 1 };
            }
            schwa = true;
            continue;
        }
        if let Some(latin) = vowel_sign(c) {
            out.push_str(latin);
            schwa = false;
        } else if c == VIRAMA {
            schwa = false;
        } else if c == ANUSVARA || c == CHANDRABINDU {
            if schwa {
                out.push('a');
            }
            schwa = false;
            // Before p, ph, b, bh, m the nasal is an m (चंपा: Champa); else an n.
            let labial = chars.get(i + 1).is_some_and(|n| "पफबभम".contains(*n));
            out.push(if labial { 'm' } else { 'n' });
        } else if c == VISARGA {
            if schwa {
                out.push('a');
            }
            schwa = false;
            out.push('h');
        } else if c == NUKTA || c == '\u{200C}' || c == '\u{200D}' {
            // A stray nukta, or a zero-width (non-)joiner: no sound.
        } else if let Some(latin) = vowel(c) {
            if schwa {
                out.push('a');
            }
            schwa = false;
            out.push_str(latin);
        } else {
            // A word ends here (or another script goes on): its final schwa is dropped.
            schwa = false;
            out.push(c);
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devanagari_reads_as_hindi_is_spelt_in_english() {
        for (hindi, latin) in [
            ("सूरज", "suuraj"),
            ("यादव", "yaadav"),
            ("कमला", "kamalaa"),
            ("मांझी", "maanjhii"),
            ("चंपा", "champaa"),
            ("लक्ष्मी", "lakshmii"),
            ("ज्ञान", "gyaan"),
            ("मुज़फ़्फ़रपुर", "muzaffarapur"),
            ("सूरज यादव", "suuraj yaadav"),
        ] {
            assert_eq!(devanagari_to_latin(hindi), latin, "{hindi}");
        }
    }

    #[test]
    fn spellings_of_one_name_share_a_key() {
        for group in [
            &["Suraj", "Sooraj", "सूरज", "SURAJ"][..],
            &["Yadav", "Yadaw", "यादव"],
            &["Kamla", "Kamala", "कमला"],
            &["Paswan", "पासवान"],
            &["Laxmi", "Lakshmi", "लक्ष्मी"],
            &["Pinky", "Pinki", "पिंकी"],
            &["Vinod", "Binod", "विनोद"],
            &["Muzaffarpur", "मुज़फ़्फ़रपुर"],
            &["Aarti", "Arti", "आरती"],
            &["Ramnagar", "रामनगर"],
            &["Jagdish", "Jagadish", "जगदीश"],
        ] {
            let keys: Vec<String> = group.iter().map(|w| word_key(w)).collect();
            assert!(
                keys.iter().all(|k| *k == keys[0]),
                "{group:?} gave {keys:?}"
            );
        }
    }

    #[test]
    fn places_compare_across_scripts_spaces_and_hyphens() {
        for (a, b) in [
            ("Bodh Gaya", "बोधगया"),
            ("Bodh-Gaya", "Bodhgaya"),
            ("Nalanda", "नालंदा"),
            ("Pilkhi", "पिलखी"),
        ] {
            assert!(same_place(a, b), "{a} and {b}");
        }
        assert!(!same_place("Keshopur", "Madhopur"));
        assert!(!same_place("", ""), "an unknown place matches nothing");
    }

    #[test]
    fn siblings_names_keep_different_keys() {
        for (a, b) in [("Rani", "Rina"), ("Ravi", "Rani"), ("Suraj", "Sunil")] {
            assert_ne!(word_key(a), word_key(b), "{a} and {b}");
        }
    }
}
