//! The events stage on sentences written for these tests, in Dutch and
//! English. Names are marked by hand (not by the tagger), so each test
//! checks the events stage alone.

use kgx::events::{find_events_dated, Event};
use kgx::lang::Language;
use kgx::ner::{EntityKind, Mention};
use kgx::resolve::{resolve, Entity};
use kgx::text::{Document, Span};

/// Runs the events stage on `text`, with the given names marked as mentions.
fn run(
    lang: &str,
    text: &str,
    names: &[(&str, EntityKind)],
    date: Option<&str>,
) -> (Vec<Event>, Vec<Entity>) {
    let doc = Document::new("t", text.to_string(), Language::get(lang));
    let mut mentions = Vec::new();
    for &(name, kind) in names {
        let words: Vec<&str> = name.split(' ').collect();
        for start in 0..doc.tokens.len() {
            if start + words.len() > doc.tokens.len() {
                break;
            }
            if (0..words.len()).all(|k| doc.token_text(start + k) == words[k]) {
                let tokens = start..start + words.len();
                mentions.push(Mention {
                    span: Span {
                        start: doc.tokens[start].span.start,
                        end: doc.tokens[tokens.end - 1].span.end,
                    },
                    kind,
                    sentence: doc.sentence_of_token(start),
                    tokens,
                });
            }
        }
    }
    mentions.sort_by_key(|m| m.span);
    let entities = resolve(&doc, &mentions);
    (
        find_events_dated(&doc, &mentions, &entities, date),
        entities,
    )
}

fn labels(ids: &[usize], entities: &[Entity]) -> Vec<String> {
    ids.iter().map(|&i| entities[i].label.clone()).collect()
}

fn triggers(ev: &Event) -> Vec<&str> {
    ev.mentions.iter().map(|m| m.text.as_str()).collect()
}

use EntityKind::{Organisation as Org, Person as Per, Place as Loc};

#[test]
fn dutch_participle_is_an_arrest() {
    let (evs, ents) = run(
        "nl",
        "De politie heeft gisteren in Utrecht twintig betogers gearresteerd.",
        &[("Utrecht", Loc)],
        None,
    );
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(evs[0].event_type, "arrest");
    assert_eq!(triggers(&evs[0]), ["gearresteerd"]);
    assert_eq!(labels(&evs[0].places, &ents), ["Utrecht"]);
    assert_eq!(evs[0].time.as_deref(), Some("gisteren"));
}

#[test]
fn dutch_separable_verb_is_an_announcement_with_its_speaker() {
    let (evs, ents) = run(
        "nl",
        "Premier Jansen kondigde dinsdag een onderzoek aan.",
        &[("Jansen", Per)],
        Some("2024-03-08"),
    );
    let ann = evs
        .iter()
        .find(|e| e.event_type == "announcement")
        .expect("announcement");
    assert_eq!(triggers(ann), ["kondigde"]);
    assert_eq!(labels(&ann.participants, &ents), ["Jansen"]);
    assert_eq!(ann.time.as_deref(), Some("dinsdag"));
    // 2024-03-08 is a Friday: the last Tuesday before it.
    assert_eq!(ann.time_iso.as_deref(), Some("2024-03-05"));
}

#[test]
fn compound_heads_and_phrase_adjectives_are_part_of_the_trigger() {
    let (evs, _) = run(
        "nl",
        "In Amsterdam waren er anti-kernwapenprotesten. Servië begon een algemene mobilisatie.",
        &[("Amsterdam", Loc), ("Servië", Loc)],
        None,
    );
    let types: Vec<&str> = evs.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types, ["protest", "mobilisation"]);
    assert_eq!(triggers(&evs[0]), ["anti-kernwapenprotesten"]);
    assert_eq!(triggers(&evs[1]), ["algemene mobilisatie"]);
}

#[test]
fn ambiguous_top_needs_a_fitting_context() {
    let (evs, _) = run(
        "nl",
        "Hij werkte zich op naar de top van Philips.",
        &[("Philips", Org)],
        None,
    );
    assert!(evs.is_empty(), "{evs:?}");
    let (evs, ents) = run(
        "nl",
        "Vorige week vond in Brussel een top van de NAVO plaats.",
        &[("Brussel", Loc), ("NAVO", Org)],
        Some("2024-06-12"),
    );
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(evs[0].event_type, "summit");
    assert_eq!(labels(&evs[0].places, &ents), ["Brussel"]);
    assert_eq!(labels(&evs[0].participants, &ents), ["NAVO"]);
    assert_eq!(evs[0].time.as_deref(), Some("Vorige week"));
    assert_eq!(evs[0].time_iso.as_deref(), Some("2024-W23"));
}

#[test]
fn english_arrest_with_place_and_weekday() {
    let (evs, ents) = run(
        "en",
        "Police arrested forty people in Lyon on Saturday.",
        &[("Lyon", Loc)],
        Some("2023-05-10"),
    );
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(evs[0].event_type, "arrest");
    assert_eq!(labels(&evs[0].places, &ents), ["Lyon"]);
    assert_eq!(evs[0].time.as_deref(), Some("on Saturday"));
    assert_eq!(evs[0].time_iso.as_deref(), Some("2023-05-06"));
}

#[test]
fn participants_come_subject_first_and_places_by_preposition() {
    let (evs, ents) = run(
        "nl",
        "Merkel ontmoette Macron in Berlijn.",
        &[("Merkel", Per), ("Macron", Per), ("Berlijn", Loc)],
        None,
    );
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(evs[0].event_type, "meeting");
    assert_eq!(labels(&evs[0].participants, &ents), ["Merkel", "Macron"]);
    assert_eq!(labels(&evs[0].places, &ents), ["Berlijn"]);
}

#[test]
fn a_country_as_subject_is_a_participant_and_coordinated_places_share_the_preposition() {
    let (evs, ents) = run(
        "en",
        "Norway withdrew its troops from Mali and Niger.",
        &[("Norway", Loc), ("Mali", Loc), ("Niger", Loc)],
        None,
    );
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(evs[0].event_type, "retreat");
    assert_eq!(labels(&evs[0].participants, &ents), ["Norway"]);
    assert_eq!(labels(&evs[0].places, &ents), ["Mali", "Niger"]);
}

#[test]
fn without_a_governed_place_the_nearest_place_is_taken() {
    let (evs, ents) = run(
        "en",
        "Thousands protested, Madrid's mayor said, while Rome stayed calm.",
        &[("Madrid", Loc), ("Rome", Loc)],
        None,
    );
    let protest = evs
        .iter()
        .find(|e| e.event_type == "protest")
        .expect("protest");
    assert_eq!(labels(&protest.places, &ents), ["Madrid"]);
}

#[test]
fn dates_months_and_years_resolve() {
    let (evs, _) = run(
        "nl",
        "Op 28 september stemde het parlement van Chili. Begin maart was er een referendum in Peru. In 2014 volgde de annexatie van de Krim.",
        &[("Chili", Loc), ("Peru", Loc), ("Krim", Loc)],
        Some("2022-10-01"),
    );
    let times: Vec<(Option<&str>, Option<&str>)> = evs
        .iter()
        .map(|e| (e.time.as_deref(), e.time_iso.as_deref()))
        .collect();
    assert_eq!(
        times,
        [
            (Some("Op 28 september"), Some("2022-09-28")),
            (Some("Begin maart"), Some("2022-03")),
            (Some("In 2014"), Some("2014")),
        ]
    );
}

#[test]
fn english_dates_with_a_year_need_no_document_date() {
    let (evs, _) = run(
        "en",
        "The referendum in Chile was held on September 4, 2022.",
        &[("Chile", Loc)],
        None,
    );
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(evs[0].time_iso.as_deref(), Some("2022-09-04"));
}

#[test]
fn hypothetical_and_negated_mentions_are_dropped() {
    for (lang, text) in [
        (
            "nl",
            "De politie zou in Gent tien mensen hebben gearresteerd.",
        ),
        ("nl", "Er komt geen referendum in Gent."),
        ("en", "If the army attacks Ghent, the city will fall."),
        ("en", "Police did not arrest anyone in Ghent."),
        ("en", "The government could impose sanctions on Ghent."),
    ] {
        let (evs, _) = run(lang, text, &[("Gent", Loc), ("Ghent", Loc)], None);
        assert!(evs.is_empty(), "{text}: {evs:?}");
    }
}

#[test]
fn future_events_are_kept_and_marked() {
    let (evs, _) = run(
        "en",
        "The parliament of Chile will vote on Friday.",
        &[("Chile", Loc)],
        Some("2024-01-01"),
    );
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(evs[0].event_type, "vote");
    assert_eq!(evs[0].modality.as_deref(), Some("future"));
    // 2024-01-01 is a Monday; a future Friday is the next one.
    assert_eq!(evs[0].time_iso.as_deref(), Some("2024-01-05"));
}

#[test]
fn a_denied_name_is_not_a_denied_event() {
    let (evs, _) = run(
        "nl",
        "De strijd in Mali wordt officieel geen oorlog genoemd.",
        &[("Mali", Loc)],
        None,
    );
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(evs[0].event_type, "war");
    assert_eq!(evs[0].modality.as_deref(), Some("asserted"));
}

#[test]
fn repeated_mentions_of_one_protest_merge() {
    let (evs, ents) = run(
        "nl",
        "Duizenden mensen protesteerden in Leiden. Deze protesten duurden tot de avond.",
        &[("Leiden", Loc)],
        None,
    );
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(triggers(&evs[0]), ["protesteerden", "protesten"]);
    assert_eq!(labels(&evs[0].places, &ents), ["Leiden"]);
}

#[test]
fn new_instances_and_clashing_places_stay_apart() {
    let (evs, _) = run(
        "nl",
        "Maandag waren er protesten in Gent. Dinsdag waren er nieuwe protesten in Gent.",
        &[("Gent", Loc)],
        None,
    );
    assert_eq!(evs.len(), 2, "{evs:?}");
    let (evs, _) = run(
        "en",
        "There were protests in Oslo. There were protests in Bergen too.",
        &[("Oslo", Loc), ("Bergen", Loc)],
        None,
    );
    assert_eq!(evs.len(), 2, "{evs:?}");
}

#[test]
fn statements_by_different_speakers_stay_apart() {
    let (evs, _) = run(
        "en",
        "Smith said the talks failed. Jones said they went well.",
        &[("Smith", Per), ("Jones", Per)],
        None,
    );
    let said: Vec<&Event> = evs.iter().filter(|e| e.event_type == "statement").collect();
    assert_eq!(said.len(), 2, "{evs:?}");
}

#[test]
fn a_statement_without_a_speaker_is_not_reported() {
    let (evs, _) = run("en", "Observers said the vote was fair.", &[], None);
    assert!(evs.iter().all(|e| e.event_type != "statement"), "{evs:?}");
}

#[test]
fn a_misc_name_around_a_trigger_names_the_event() {
    let (evs, _) = run(
        "nl",
        "Na de Tweede Wereldoorlog werd Europa herbouwd.",
        &[("Tweede Wereldoorlog", EntityKind::Misc), ("Europa", Loc)],
        None,
    );
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(evs[0].event_type, "war");
    assert_eq!(triggers(&evs[0]), ["Tweede Wereldoorlog"]);
}

#[test]
fn the_extractor_uses_its_date_option_for_undated_documents() {
    let ex = kgx::Extractor::new(kgx::Options {
        date: Some("2022-09-24".into()),
        ..Default::default()
    });
    let doc = ex.document(
        "d",
        "Woensdagavond werden in Grozny tientallen vrouwen gearresteerd.".into(),
    );
    let x = ex.extract_document(&doc);
    let ev = x
        .events
        .iter()
        .find(|e| e.event_type == "arrest")
        .expect("arrest");
    assert_eq!(ev.time.as_deref(), Some("Woensdagavond"));
    assert_eq!(ev.time_iso.as_deref(), Some("2022-09-21"));
}

#[test]
fn a_place_beyond_another_trigger_belongs_to_that_one() {
    let (evs, ents) = run(
        "nl",
        "Rutte ontmoette Scholz in Berlijn. Tijdens de ontmoeting spraken zij over de oorlog in Soedan.",
        &[("Rutte", Per), ("Scholz", Per), ("Berlijn", Loc), ("Soedan", Loc)],
        None,
    );
    let meeting = evs
        .iter()
        .find(|e| e.event_type == "meeting")
        .expect("meeting");
    assert_eq!(triggers(meeting), ["ontmoette", "ontmoeting"]);
    assert_eq!(labels(&meeting.places, &ents), ["Berlijn"]);
    let war = evs.iter().find(|e| e.event_type == "war").expect("war");
    assert_eq!(labels(&war.places, &ents), ["Soedan"]);
}

#[test]
fn a_sentence_without_a_place_continues_the_scene_before_it() {
    let (evs, ents) = run(
        "en",
        "Hundreds of students protested in Accra. Many were arrested.",
        &[("Accra", Loc)],
        None,
    );
    let arrest = evs
        .iter()
        .find(|e| e.event_type == "arrest")
        .expect("arrest");
    assert_eq!(labels(&arrest.places, &ents), ["Accra"]);
}

#[test]
fn purposes_and_generic_quantifiers_are_not_events() {
    for (lang, text) in [
        (
            "nl",
            "Het leger van Mali rukte uit om de bezetting van Gao te beëindigen.",
        ),
        ("nl", "Volgens Mali is elke aanval op Gao verboden terrein."),
        ("en", "Mali says any attack on Gao will be answered."),
    ] {
        let (evs, _) = run(lang, text, &[("Mali", Loc), ("Gao", Loc)], None);
        assert!(
            evs.iter()
                .all(|e| e.event_type != "protest" && e.event_type != "attack"),
            "{text}: {evs:?}"
        );
    }
}

#[test]
fn a_verb_that_is_also_a_noun_is_not_taken_after_a_determiner() {
    let (evs, _) = run(
        "nl",
        "In Peru werden de stemmen geteld. Morgen stemmen de kiezers in Chili.",
        &[("Peru", Loc), ("Chili", Loc)],
        Some("2024-01-01"),
    );
    let votes: Vec<&Event> = evs.iter().filter(|e| e.event_type == "vote").collect();
    assert_eq!(votes.len(), 1, "{evs:?}");
    assert_eq!(votes[0].mentions[0].sentence, 1);
    assert_eq!(votes[0].time_iso.as_deref(), Some("2024-01-02"));
}

#[test]
fn a_time_beyond_another_trigger_belongs_to_that_one() {
    let (evs, _) = run(
        "en",
        "Senator Lee announced that the vote in Utah will take place next month.",
        &[("Lee", Per), ("Utah", Loc)],
        Some("2023-11-16"),
    );
    let ann = evs
        .iter()
        .find(|e| e.event_type == "announcement")
        .expect("announcement");
    assert_eq!(ann.time, None);
    let vote = evs.iter().find(|e| e.event_type == "vote").expect("vote");
    assert_eq!(vote.time.as_deref(), Some("next month"));
    assert_eq!(vote.time_iso.as_deref(), Some("2023-12"));
    assert_eq!(vote.modality.as_deref(), Some("future"));
}

#[test]
fn a_merged_mention_adds_no_guessed_participants() {
    let (evs, ents) = run(
        "en",
        "Biden met Xi in Lima. The talks came a day after Congress voted.",
        &[
            ("Biden", Per),
            ("Xi", Per),
            ("Lima", Loc),
            ("Congress", Org),
        ],
        None,
    );
    let meeting = evs
        .iter()
        .find(|e| e.event_type == "meeting")
        .expect("meeting");
    assert_eq!(triggers(meeting), ["met", "talks"]);
    assert_eq!(labels(&meeting.participants, &ents), ["Biden", "Xi"]);
}

#[test]
fn name_heads_count_only_inside_misc_names() {
    let (evs, _) = run(
        "en",
        "Athletes from Kenya won gold at the Commonwealth Games in Glasgow. The games industry in Kenya grew.",
        &[("Commonwealth Games", EntityKind::Misc), ("Kenya", Loc), ("Glasgow", Loc)],
        None,
    );
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(triggers(&evs[0]), ["Commonwealth Games"]);
    assert_eq!(evs[0].event_type, "other");
}

#[test]
fn a_place_adjective_before_forces_is_a_participant() {
    let (evs, ents) = run(
        "nl",
        "Gisteren begon het offensief van de Poolse troepen bij Lublin. Polen zweeg.",
        &[("Lublin", Loc), ("Polen", Loc)],
        None,
    );
    let ev = evs
        .iter()
        .find(|e| e.event_type == "offensive")
        .expect("offensive");
    assert_eq!(labels(&ev.participants, &ents), ["Polen"]);
    assert_eq!(labels(&ev.places, &ents), ["Lublin"]);
    let (evs, ents) = run(
        "en",
        "Ana Souza gave a speech to the Brazilian people on Monday. Brazil listened.",
        &[("Ana Souza", Per), ("Brazil", Loc)],
        None,
    );
    let ev = evs
        .iter()
        .find(|e| e.event_type == "speech")
        .expect("speech");
    assert_eq!(labels(&ev.places, &ents), ["Brazil"]);
}

#[test]
fn a_place_adjective_elsewhere_is_no_argument() {
    // `Poolse vis` is no actor; and a country the text does not name gets no node.
    let (evs, ents) = run(
        "nl",
        "Gisteren protesteerden vissers in Gdansk tegen de Poolse vis. Polen zweeg.",
        &[("Gdansk", Loc), ("Polen", Loc)],
        None,
    );
    let ev = evs
        .iter()
        .find(|e| e.event_type == "protest")
        .expect("protest");
    assert!(labels(&ev.participants, &ents).is_empty(), "{ev:?}");
    assert_eq!(labels(&ev.places, &ents), ["Gdansk"]);
    let (evs, ents) = run(
        "en",
        "Polish troops attacked Lviv on Monday.",
        &[("Lviv", Loc)],
        None,
    );
    let ev = evs
        .iter()
        .find(|e| e.event_type == "attack")
        .expect("attack");
    assert!(labels(&ev.participants, &ents).is_empty(), "{ev:?}");
}
