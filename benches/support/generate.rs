//! Writes a synthetic but valid knowledge folder N times the size of the shipped one.
//!
//! The shipped folder is copied unchanged, then N - 1 synthetic "disputes" are
//! appended: each one a local dispute of another NHS profession in another
//! town, told by five articles and, like the shipped knowledge, about 35
//! people, 37 events, 36 figures, 35 quotes and 19 intents. Every evidence
//! string is a sentence (or part of one) that the generator wrote into the
//! article it cites, so the real loader accepts the folder. Names, towns and
//! numbers are drawn from a seeded generator: the vocabulary keeps growing with
//! N, as it would when a community adds articles over years.
//!
//! Used by `benches/scale.rs` and `examples/generate_knowledge.rs`; not a user
//! command of the bot.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How many times the shipped knowledge (1 = the shipped folder as is).
    pub scale: usize,
    /// Whether intents grow with the knowledge too (19 per synthetic dispute);
    /// when false only the shipped intents are kept.
    pub scale_intents: bool,
    /// Seed of the text generator; the same seed writes the same folder.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            scale: 10,
            scale_intents: true,
            seed: 2024,
        }
    }
}

/// Counts of what was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    /// Synthetic disputes added to the shipped knowledge.
    pub disputes: usize,
    /// Bytes of all files of the folder.
    pub bytes: u64,
}

/// Copies `shipped` to `out` and appends `scale - 1` synthetic disputes.
pub fn generate(shipped: &Path, out: &Path, options: &Options) -> io::Result<Written> {
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    fs::create_dir_all(out.join("sources/generated"))?;
    for entry in fs::read_dir(shipped.join("sources"))? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            fs::copy(entry.path(), out.join("sources").join(entry.file_name()))?;
        }
    }
    let mut files: Vec<(&str, String)> = crate_files()
        .iter()
        .map(|name| {
            let text = fs::read_to_string(shipped.join(name)).unwrap_or_default();
            (*name, text)
        })
        .collect();
    let mut written = Written::default();
    for k in 1..options.scale.max(1) {
        let d = Dispute::new(k, options.seed);
        let files_of: Vec<String> = (0..5).map(|j| d.article_file(j)).collect();
        let mut block = Block::default();
        d.write(&mut block, options.scale_intents);
        for (file, text) in files_of.iter().zip(&block.articles) {
            fs::write(out.join(file), text)?;
        }
        for (name, text) in &mut files {
            text.push_str(block.table(name));
        }
        written.disputes += 1;
    }
    for (name, text) in &files {
        fs::write(out.join(name), text)?;
    }
    written.bytes = folder_bytes(out)?;
    Ok(written)
}

fn crate_files() -> [&'static str; 6] {
    [
        "sources.toml",
        "people.toml",
        "events.toml",
        "figures.toml",
        "quotes.toml",
        "intents.toml",
    ]
}

/// Total size of the files under a folder.
pub fn folder_bytes(dir: &Path) -> io::Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() {
            folder_bytes(&entry.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}

/// splitmix64: small, fast and good enough to vary text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

const FIRST: &[&str] = &[
    "Amira", "Ben", "Callum", "Deborah", "Eleanor", "Farah", "Gareth", "Hannah", "Imran", "Joanna",
    "Kwame", "Lucy", "Mohammed", "Niamh", "Owen", "Priya", "Rhys", "Sarah", "Tomasz", "Uzma",
    "Victoria", "William", "Yasmin", "Zoe", "Adebayo", "Bethan", "Chloe", "Declan", "Esther",
    "Fiona", "Graham", "Helen", "Isaac", "Jasmine", "Kieran", "Laura", "Martin", "Nadia", "Oliver",
    "Patrick", "Rachel", "Sunil", "Tariq", "Ursula", "Vikram", "Wendy", "Aisha", "Bernard",
    "Carys", "Dominic",
];

const SYLLABLE_A: &[&str] = &[
    "Ash", "Brad", "Carl", "Dun", "Ell", "Fair", "Gran", "Hal", "Ken", "Lang", "Mar", "Nor", "Pem",
    "Rad", "Sel", "Thorn", "Wes", "Whit", "Hart", "Black", "Brook", "Cole", "Fen", "Mil", "Oak",
    "Pen", "Rother", "Stan", "Tal", "Wick",
];
const SYLLABLE_B: &[&str] = &["", "a", "en", "er", "in", "ing", "ol"];
const SYLLABLE_C: &[&str] = &[
    "worth", "ley", "ton", "field", "wood", "ford", "by", "more", "well", "ham", "ridge", "shaw",
    "bury", "combe", "stead", "wick", "den", "hurst",
];

/// Professions in dispute and the union that speaks for each.
const PROFESSIONS: &[(&str, &str, &str)] = &[
    ("radiographers", "radiographer", "Society of Radiographers"),
    ("midwives", "midwife", "Royal College of Midwives"),
    ("paramedics", "paramedic", "GMB"),
    (
        "physiotherapists",
        "physiotherapist",
        "Chartered Society of Physiotherapy",
    ),
    ("nurses", "nurse", "Royal College of Nursing"),
    ("consultants", "consultant", "British Medical Association"),
    (
        "pharmacists",
        "pharmacist",
        "Pharmacists' Defence Association",
    ),
    ("porters", "porter", "Unison"),
    ("biomedical scientists", "biomedical scientist", "Unite"),
    (
        "speech and language therapists",
        "speech therapist",
        "Unite",
    ),
    ("healthcare assistants", "healthcare assistant", "Unison"),
    (
        "occupational therapists",
        "occupational therapist",
        "Unison",
    ),
    ("sonographers", "sonographer", "Society of Radiographers"),
    (
        "dental nurses",
        "dental nurse",
        "British Association of Dental Nurses",
    ),
    ("theatre staff", "theatre worker", "Unison"),
];

const ISSUES: &[&str] = &[
    "pay and staffing levels",
    "unpaid overtime and rota gaps",
    "a pay award below inflation",
    "the banding of their posts",
    "safe staffing on night shifts",
    "the cost of parking at work",
    "pensions and pay restoration",
    "agency rates and recruitment",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const ORDINALS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth",
];

const OUTLETS: &[&str] = &[
    "BBC Radio 4's Today programme",
    "the local paper",
    "a regional television news programme",
    "reporters outside the hospital",
    "a press conference",
    "a union rally",
];

const QUOTE_OPENINGS: &[&str] = &[
    "We have been left with no choice but to",
    "Nobody takes the decision to",
    "Our members are telling us they cannot afford to",
    "It is deeply disappointing that we have had to",
    "The trust has done everything it can to",
    "Patients deserve better than to",
    "We are ready to get round the table and",
    "What we are asking for is a fair deal so that we can",
];
const QUOTE_ENDINGS: &[&str] = &[
    "stand on a picket line in the cold",
    "keep the wards safe at night",
    "stay in a profession they love",
    "see waiting lists grow for another winter",
    "rebuild trust after years of real-terms pay cuts",
    "protect emergency and urgent care for patients",
    "end this dispute before the summer",
    "make sure every rota is filled",
];

const FILLER: &[&str] = &[
    "Waiting lists at the trust have grown every month since the dispute began, according to figures published by NHS England.",
    "Managers said emergency departments and maternity services would be staffed as normal throughout the action.",
    "Patients whose appointments were moved were told to attend unless they heard otherwise.",
    "The union said it had written to the chief executive twice without receiving a reply.",
    "Health leaders warned that the winter months would put further pressure on beds and staff.",
    "Agency staff were brought in to cover some shifts, at a cost the trust has not disclosed.",
    "Local MPs from both main parties called on the two sides to return to talks.",
    "The dispute is one of several over pay and conditions in the health service this year.",
    "A spokesperson for the Department of Health and Social Care said the pay award was fair and affordable.",
    "Members of the public stopped at the picket lines to offer support and hot drinks.",
];

/// One synthetic dispute: its town, profession, people and dates.
struct Dispute {
    k: usize,
    rng: Rng,
    town: String,
    profession: (&'static str, &'static str, &'static str),
    issue: &'static str,
    year: i32,
}

#[derive(Default)]
struct Block {
    articles: [String; 5],
    sources: String,
    people: String,
    events: String,
    figures: String,
    quotes: String,
    intents: String,
}

impl Block {
    fn table(&self, file: &str) -> &str {
        match file {
            "sources.toml" => &self.sources,
            "people.toml" => &self.people,
            "events.toml" => &self.events,
            "figures.toml" => &self.figures,
            "quotes.toml" => &self.quotes,
            _ => &self.intents,
        }
    }

    /// Adds a sentence to an article and returns it, for use as evidence.
    fn say(&mut self, article: usize, sentence: String) -> String {
        let a = &mut self.articles[article % 5];
        if !a.is_empty() {
            a.push_str(if a.len() % 3 == 0 { "\n\n" } else { " " });
        }
        a.push_str(&sentence);
        sentence
    }
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

struct PersonRef {
    id: String,
    name: String,
    role: String,
}

impl Dispute {
    fn new(k: usize, seed: u64) -> Dispute {
        let mut rng = Rng(seed ^ (k as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
        let town = Dispute::place(&mut rng);
        let profession = PROFESSIONS[rng.below(PROFESSIONS.len())];
        let issue = ISSUES[rng.below(ISSUES.len())];
        let year = 2010 + rng.below(20) as i32;
        Dispute {
            k,
            rng,
            town,
            profession,
            issue,
            year,
        }
    }

    fn place(rng: &mut Rng) -> String {
        format!(
            "{}{}{}",
            rng.pick(SYLLABLE_A),
            rng.pick(SYLLABLE_B),
            rng.pick(SYLLABLE_C)
        )
    }

    fn surname(&mut self) -> String {
        Dispute::place(&mut self.rng)
    }

    fn article_file(&self, j: usize) -> String {
        format!("sources/generated/{:05}-{j}.txt", self.k)
    }

    fn source_id(&self, j: usize) -> String {
        format!("gen{}-article-{}", self.k, j % 5)
    }

    fn date(&mut self, month: usize) -> (String, String) {
        let m = month % 12;
        let y = self.year + (month / 12) as i32;
        if self.rng.below(3) == 0 {
            let d = self.rng.range(1, 28);
            (
                format!("{y}-{:02}-{d:02}", m + 1),
                format!("{d} {} {y}", MONTHS[m]),
            )
        } else {
            (format!("{y}-{:02}", m + 1), format!("{} {y}", MONTHS[m]))
        }
    }

    fn write(mut self, b: &mut Block, with_intents: bool) {
        let k = self.k;
        let town = self.town.clone();
        let (plural, singular, union) = self.profession;
        let trust = format!("{town} Hospitals NHS Trust");
        let branch = format!("{town} branch of the {union}");
        let committee = format!("{town} {singular} committee");
        let title_plural = capitalise(plural);

        // Sources.
        for j in 0..5 {
            let (date, _) = self.date(j * 2);
            let outlet = ["PA Media", "BBC News", "the Guardian", "a local newspaper"][j % 4];
            let _ = write!(
                b.sources,
                "\n[[source]]\nid = {}\nfile = {}\ntitle = {}\ntitle_is_ours = true\ndate = {}\ndate_basis = \"inferred\"\ndate_note = {}\n",
                q(&self.source_id(j)),
                q(&self.article_file(j)),
                q(&format!("{title_plural} in {town} dispute: report {} of 5 ({outlet})", j + 1)),
                q(&date),
                q("synthetic article: dated by the events it reports"),
            );
            b.say(
                j,
                format!(
                    "{title_plural} at {trust} are in dispute with their employer over {}.",
                    self.issue
                ),
            );
        }

        // Organisations.
        let orgs = [
            (
                format!("gen{k}-trust"),
                trust.clone(),
                "the NHS trust that runs the town's hospitals",
            ),
            (
                format!("gen{k}-branch"),
                branch.clone(),
                "the local branch of the union",
            ),
            (
                format!("gen{k}-committee"),
                committee.clone(),
                "the committee that leads the dispute",
            ),
            (
                format!("gen{k}-council"),
                format!("{town} Borough Council"),
                "the local council",
            ),
            (
                format!("gen{k}-icb"),
                format!("{town} Integrated Care Board"),
                "the body that plans health services in the area",
            ),
            (
                format!("gen{k}-patients"),
                format!("{town} Patients Association"),
                "a group that speaks for local patients",
            ),
        ];
        for (i, (id, name, what)) in orgs.iter().enumerate() {
            let evidence = b.say(
                i,
                format!("The {name}, {what}, said it was following the dispute closely."),
            );
            let acronym: String = name
                .split(' ')
                .filter_map(|w| w.chars().next())
                .filter(|c| c.is_uppercase())
                .collect();
            let _ = write!(
                b.people,
                "\n[[person]]\nid = {}\nname = {}\nkind = \"organisation\"\naliases = {}\ndescription = {}\nsource = {}\nevidence = {}\n",
                q(id),
                q(name),
                list(&[acronym, format!("the {name}")]),
                q(&format!("The {name} is {what} in the {town} {singular} dispute.")),
                q(&self.source_id(i)),
                q(&evidence),
            );
        }

        // People: 28 named people with roles.
        let roles = [
            "chief executive of",
            "co-chair of",
            "regional officer of",
            "medical director of",
            "chair of",
            "spokesperson for",
            "director of nursing at",
        ];
        let mut people = Vec::new();
        for i in 0..28 {
            let first = self.rng.pick(FIRST);
            let last = self.surname();
            let name = if i % 4 == 0 {
                format!("Dr {first} {last}")
            } else {
                format!("{first} {last}")
            };
            let org = &orgs[self.rng.below(3)];
            let role = format!("{} the {}", roles[i % roles.len()], org.1);
            let id = format!(
                "gen{k}-{}-{}-{i}",
                first.to_lowercase(),
                last.to_lowercase()
            );
            let years = self.rng.range(3, 30);
            let evidence = b.say(
                i,
                format!("{name}, {role}, has worked in the health service for {years} years."),
            );
            let month = self.rng.below(12);
            let (from, _) = self.date(month);
            let _ = write!(
                b.people,
                "\n[[person]]\nid = {}\nname = {}\nkind = \"person\"\naliases = {}\ndescription = {}\nsource = {}\nevidence = {}\n\n[[person.role]]\ntitle = {}\norganisation = {}\nfrom = {}\nperiod_note = \"synthetic: the article's date\"\nsource = {}\nevidence = {}\n",
                q(&id),
                q(&name),
                list(&[last.clone(), format!("{first} {last}")]),
                q(&format!("{name} is {role} and has spoken for them during the {town} dispute over {}.", self.issue)),
                q(&self.source_id(i)),
                q(&evidence),
                q(&role),
                q(&org.0),
                q(&from),
                q(&self.source_id(i)),
                q(&role),
            );
            people.push(PersonRef { id, name, role });
        }

        // Events: strikes, talks, ballots, offers, meetings, a deal.
        let kinds = [
            "strike",
            "strike",
            "talks",
            "ballot",
            "strike",
            "offer",
            "meeting",
            "strike",
            "statement",
            "talks",
            "strike",
            "announcement",
        ];
        let mut strikes = 0;
        let mut events = Vec::new();
        for i in 0..37 {
            let kind = kinds[i % kinds.len()];
            let (date, spoken) = self.date(i / 3);
            let who = &people[self.rng.below(people.len())];
            let days = self.rng.range(1, 5);
            let id = format!("gen{k}-{kind}-{i}");
            let (title, sentence, ordinal) = match kind {
                "strike" => {
                    strikes += 1;
                    let ord = ORDINALS[(strikes - 1) % ORDINALS.len()];
                    (
                        format!("{days}-day strike by {plural} at {trust}"),
                        format!("{title_plural} at {trust} walked out for {days} days in {spoken}, their {ord} strike in the dispute over {}.", self.issue),
                        Some(strikes),
                    )
                }
                "talks" => (
                    format!("Talks between the {branch} and {trust}"),
                    format!("Talks between the {branch} and {trust} began in {spoken}, chaired by {}.", who.name),
                    None,
                ),
                "ballot" => (
                    format!("Ballot of {plural} in {town}"),
                    format!("{title_plural} in {town} were balloted on further industrial action in {spoken}."),
                    None,
                ),
                "offer" => (
                    format!("{trust} makes a pay offer to {plural}"),
                    format!("{trust} put a new offer to {plural} in {spoken}, which the union said fell short."),
                    None,
                ),
                _ => (
                    format!("{} {kind} on the {town} dispute", capitalise(&who.name)),
                    format!("{} made a {kind} about the dispute in {spoken}, saying both sides wanted it settled.", who.name),
                    None,
                ),
            };
            let evidence = b.say(i, sentence);
            let also = b.say(
                i + 1,
                format!("The {kind} in {spoken} was reported widely across {town}."),
            );
            let _ = write!(
                b.events,
                "\n[[event]]\nid = {}\nkind = {}\ntitle = {}\ndate = {}\ndate_basis = \"stated\"\n{}people = {}\ntopics = {}\nkeywords = {}\nsummary = {}\nsource = {}\nevidence = {}\nalso = [\n  {{ source = {}, evidence = {} }},\n]\n",
                q(&id),
                q(kind),
                q(&title),
                q(&date),
                ordinal.map_or(String::new(), |o| format!("ordinal = {o}\n")),
                list(&[who.id.clone(), orgs[0].0.clone(), orgs[1].0.clone()]),
                list(&[kind.to_string(), singular.to_string(), "pay".to_string()]),
                list(&[format!("{town} {kind}"), format!("{singular} {kind}"), "picket line".to_string()]),
                q(&format!("{evidence} {} was involved throughout.", who.name)),
                q(&self.source_id(i)),
                q(&evidence),
                q(&self.source_id(i + 1)),
                q(&also),
            );
            events.push((id, spoken, kind));
        }

        // Figures.
        let measures = [
            (
                "appointments postponed during",
                "appointments were postponed during",
            ),
            (
                "shifts left uncovered during",
                "shifts were left uncovered during",
            ),
            (
                "members who voted for action before",
                "members voted for action before",
            ),
            (
                "patients waiting longer than a year after",
                "patients were waiting longer than a year after",
            ),
        ];
        let mut figures = Vec::new();
        for i in 0..36 {
            let (event_id, spoken, kind) = events[i % events.len()].clone();
            let (measure, verb) = measures[i % measures.len()];
            let value = self.rng.range(120, 60_000);
            let qualifier = ["exact", "more-than", "nearly", "about"][i % 4];
            let word = ["", "more than ", "nearly ", "about "][i % 4];
            let display = format!("{word}{}", thousands(value));
            let who = &people[self.rng.below(people.len())];
            let evidence = b.say(
                i + 2,
                format!(
                    "{} {verb} the {kind} of {spoken} at {trust}, {} said.",
                    capitalise(&display),
                    who.name
                ),
            );
            let id = format!("gen{k}-figure-{i}");
            let (as_of, _) = self.date(i / 3);
            let _ = write!(
                b.figures,
                "\n[[figure]]\nid = {}\nmeasure = {}\nvalue = {value}\nunit = \"count\"\nqualifier = {}\ndisplay = {}\nas_of = {}\nas_of_basis = \"inferred\"\nas_of_note = \"synthetic: the article's date\"\nevent = {}\nstated_by = {}\ntopics = {}\nkeywords = {}\nsummary = {}\nsource = {}\nevidence = {}\n",
                q(&id),
                q(&format!("{plural} {measure} the {kind} of {spoken} in {town}")),
                q(qualifier),
                q(&display),
                q(&as_of),
                q(&event_id),
                q(&who.id),
                list(&["impact".to_string(), kind.to_string(), singular.to_string()]),
                list(&["how many".to_string(), format!("{town} {kind}")]),
                q(&format!("{} {verb} the {kind} of {spoken} at {trust}, according to {}, {}.", capitalise(&display), who.name, who.role)),
                q(&self.source_id(i + 2)),
                q(&evidence),
            );
            figures.push(id);
        }

        // Quotes.
        let mut quotes = Vec::new();
        for i in 0..35 {
            let who = &people[self.rng.below(people.len())];
            let text = format!(
                "{} {}",
                self.rng.pick(QUOTE_OPENINGS),
                self.rng.pick(QUOTE_ENDINGS)
            );
            let text = format!("{text} in {town}");
            b.say(i + 3, format!("“{text},” said {}, {}.", who.name, who.role));
            let (event_id, spoken, kind) = events[(i * 7) % events.len()].clone();
            let (date, _) = self.date(i / 3);
            let id = format!("gen{k}-quote-{i}");
            let _ = write!(
                b.quotes,
                "\n[[quote]]\nid = {}\nspeaker = {}\ntext = {}\ndate = {}\ndate_basis = \"inferred\"\ndate_note = \"synthetic: the article's date\"\ncontext = {}\nevent = {}\ntopics = {}\nkeywords = {}\nsource = {}\n",
                q(&id),
                q(&who.id),
                q(&text),
                q(&date),
                q(&format!("{} speaking to {} about the {kind} of {spoken}.", who.name, self.rng.pick(OUTLETS))),
                q(&event_id),
                list(&[kind.to_string(), "pay".to_string()]),
                list(&[format!("{town} {singular}")]),
                q(&self.source_id(i + 3)),
            );
            quotes.push(id);
        }

        for j in 0..5 {
            for _ in 0..4 {
                let filler = self.rng.pick(FILLER).to_string();
                b.say(j, filler);
            }
        }

        if with_intents {
            self.intents(b, &town, plural, singular);
        }
    }

    /// 19 intents about this dispute; their patterns name its town, so they
    /// only fire for questions about it.
    fn intents(&mut self, b: &mut Block, town: &str, plural: &str, singular: &str) {
        let k = self.k;
        let t = town.to_lowercase();
        let answers = [
            "figure", "figure", "figure", "figure", "date", "date", "date", "person", "person",
            "speaker", "quote", "quote", "fact", "fact", "compare", "timeline", "faq", "gap",
            "gap",
        ];
        let asks = [
            ("how many", "postponed"),
            ("how many", "uncovered shifts"),
            ("what share", "voted"),
            ("how many", "waiting"),
            ("when did", "strike"),
            ("when were", "talks"),
            ("when was", "ballot"),
            ("who is", "chief executive"),
            ("who leads", "committee"),
            ("who said", "picket line"),
            ("what did", "say about pay"),
            ("what did", "say about staffing"),
            ("why are", "striking"),
            ("what do", "want"),
            ("compare", "strikes"),
            ("list", "events"),
            ("what is", "dispute about"),
            ("how much do", "earn"),
            ("when is the next", "strike"),
        ];
        for (i, answer) in answers.iter().enumerate() {
            let (ask, about) = asks[i];
            let id = format!("gen{k}-intent-{i}");
            let pattern = format!(
                "\\b{}\\b.*\\b{t}\\b.*\\b{}\\b",
                ask.replace(' ', "\\s+"),
                about.replace(' ', "\\s+")
            );
            let examples = [
                format!("{ask} {plural} in {t} {about}"),
                format!("{ask} the {t} {singular} {about}"),
                format!("{ask} {t} {about} {}", self.rng.pick(MONTHS).to_lowercase()),
            ];
            let _ = write!(
                b.intents,
                "\n[[intent]]\nid = {}\ndescription = {}\nanswer = {}\npatterns = {}\nexamples = {}\nnegative = {}\ntopics = {}\n",
                q(&id),
                q(&format!("{} about the {town} {singular} dispute: {about}", capitalise(ask))),
                q(answer),
                list(&[pattern]),
                list(&examples),
                list(&[format!("{ask} {t} football club {about}")]),
                list(&[singular.to_string(), about.to_string()]),
            );
            match *answer {
                "faq" => {
                    let _ = write!(
                        b.intents,
                        "response = {}\ncitations = [\n  {{ source = {}, evidence = {} }},\n]\n",
                        q(&format!("{} at {town} are in dispute over {}.", capitalise(plural), self.issue)),
                        q(&self.source_id(0)),
                        q(&format!("{} at {town} Hospitals NHS Trust are in dispute with their employer over {}.", capitalise(plural), self.issue)),
                    );
                }
                "gap" => {
                    let _ = writeln!(
                        b.intents,
                        "response = {}",
                        q(&format!(
                            "I don't know: the articles about {town} do not say."
                        ))
                    );
                }
                _ => {}
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
