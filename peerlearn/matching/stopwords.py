"""Words that never make a concept: function words and the filler of any statement.

An explanation names the concepts a group's texts share (:class:`~peerlearn.matching.explain.
Concepts`). A concept must be a content word or phrase of the texts, so it leaves out

* English function words: scikit-learn's list (``ENGLISH_STOP_WORDS``);
* French function words: :data:`FRENCH`, written here — articles, pronouns, prepositions,
  conjunctions, the forms of *être*, *avoir* and *faire*, and common adverbs;
* Spanish and Russian function words: :data:`SPANISH`, :data:`RUSSIAN`;
* :data:`FILLER`: words any peer's statement uses whatever its subject — time ("ago",
  "years"), effort ("finished", "started", "working"), how a figure moved ("fell",
  "tripled"), the platform's own vocabulary ("peers", "challenge", "experience") — which
  say nothing about what a group shares.

Numbers, words shorter than three letters and words found in most texts of the pool are
left out where the concepts are fitted (:data:`CONCEPT_TOKEN`).

Of the terms that remain, an explanation names only those that mean something on their
own: no phrase holding a fragment — a word of :data:`FUNCTION` or :data:`VERBS`, an adverb,
a participle (:func:`function_like`: "based audit", "outside management") — or made of two
general words ("value examples"; :func:`phrase_concept`), and no lone word that is general
(:data:`GENERIC`: "line", "country", "documents") or an adjective (:func:`lone_concept`).

    >>> words = concept_stop_words()
    >>> {"and", "the", "les", "avec", "ago", "finished", "peers"} <= words
    True
    >>> "budget" in words or "fiscalité" in words
    False
"""

from __future__ import annotations

from functools import cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: A concept's word: three letters or more, no digit, no underscore.
CONCEPT_TOKEN = r"(?u)\b[^\W\d_]{3,}\b"  # noqa: S105 (a regex, not a secret)

#: French function words (lower case, with and without elision).
FRENCH = _words(
    """
    a à afin ai aie aient aies ait alors as au aucun aucune auquel aura aurai auraient
    aurais aurait auras aurez auriez aurions aurons auront aussi autre autres aux auxquels
    avaient avais avait avant avec avez aviez avions avoir avons ayant ayez ayons bien c ça
    car ce ceci cela celle celles celui cependant certain certaine certains ces cet cette
    ceux chacun chaque chez comme comment d dans de depuis des dès desquels deux donc dont
    du duquel elle elles en encore entre es est et étaient étais était étant été êtes
    étiez étions être eu eue eues eûmes eurent eus eusse eut eux fais faisons fait faites
    font furent fut ici il ils j je jusqu jusque l la là laquelle le lequel les lesquels
    leur leurs lors lorsque lui m ma mais me même mêmes mes moi mon n ne ni non nos notre
    nous on ont ou où par parce pas peu peut peuvent plus plusieurs pour pourquoi pouvons
    qu quand que quel quelle quelles quels qui quoi s sa sans se selon sera serai seraient
    serais serait seras serez seriez serions serons seront ses si sien soi soient sois
    soit sommes son sont sous suis sur t ta tandis te tel telle telles tels tes toi ton
    toujours tous tout toute toutes très tu un une unes uns vers via voici voilà vos votre
    vous y
    """
)

#: Words of any statement, whatever its subject (English and French).
FILLER = _words(
    """
    ago able also already another around back become began begin being better came
    challenge challenges come could currently did does doing done during each early
    experience experiences finished first get gets getting give given going good got
    great help helped helping helps just know last late later learn learned learning
    learns like little look looking lot lots made make makes making many may month months
    much need needed needs new next now often one ones other own past peer peers people
    per put really recent recently said say see seek seeking seeks since six some start
    started starting still take taken ten thing things three time times today took try
    tried trying two use used uses using want wanted wants way ways week weeks well went
    work worked working works would year years yet
    chaired cut doubled dropped fell fallen grew grown halved increased jumped reduced
    rose risen tripled
    an ans année années avons besoin cours défi défis expérience expériences faire mois
    nouveau nouvelle nouvelles nouveaux pair pairs travail travaille travaillé
    """
)


#: Spanish function words (lower case).
SPANISH = _words(
    """
    a al algo algunas algunos ante antes aquel aquella aquellas aquellos aqui aquí así
    aun aunque cada casi como con contra cual cuales cuando cuándo de del desde donde dónde
    dos durante e el él ella ellas ellos en entre era eran es esa esas ese eso esos esta
    está estaba estaban estamos están estar estas este esto estos fue fueron ha había
    habían han has hasta hay he hemos la las le les lo los más me mi mis mucho muchos muy
    nada ni no nos nosotras nosotros nuestra nuestras nuestro nuestros o otra otras otro
    otros para pero poco por porque pues que qué quien quienes se sea ser si sí sido sin
    sobre son su sus también tan tanto te tenemos tener tiene tienen todas todo todos tu
    tus un una unas uno unos usted ustedes y ya yo
    año años aprender buscamos cómo hacer hicimos meses otros pares queremos reto retos
    experiencia experiencias trabajo nuevo nueva nuevos nuevas
    """
)

#: Russian function words (lower case).
RUSSIAN = _words(
    """
    а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да
    даже для до его ее её если есть еще ещё же за здесь и из или им их к как какие
    когда кто ли либо мы на над нас наш наша наше наши не него нее неё нет ни них но ну о
    об однако он она они оно от очень по под после при про с со так также такой там те
    тем то того тоже только том тот у уже хотим хотели чем через что чтобы эта эти это
    этот я год года годы лет опыт опыта работа работы работе хотим нам нами свой свои
    своих можно нужно который которая которые которых
    """
)

#: Words too general to name a concept alone, in any statement of public-sector reform
#: ("line", "country", "management", "data"): a phrase may hold one of them ("reporting
#: line", "data protection"), a concept of one word may not be one of them.
GENERIC = _words(
    """
    access account action actions activities activity agency agencies amount analysis
    approach approaches area areas average board business capacity case cases
    centre center change changes citizens city committee community communities cost costs
    council countries country county data day days department departments design
    development director document documents effort examples field figure figures
    form forms framework function fund funds goal goals government governments group
    groups head impact information institution institutions issue issues law laws
    leadership level levels line lines list local management manager managers market
    materials meeting meetings member members method methods ministries ministry model
    money national number office offices officer officers official officials online open
    order organisation organisations organization organizations page pages paper part partner
    partners pilot plan plans point points policies policy practice practices priorities
    priority problem problems process processes programme programmes program programs
    project projects public quality rate rates record records region regions report
    reports request requests research resource resources result results review risk role
    rules sector sectors service services short side size small staff standard standards
    step steps structure support system systems target targets team teams tool tools
    training type types unit units value version visit world
    budgetary civil monetary parliamentary primary secondary temporary voluntary
    decision decisions entities entity extractive format formats goods implementation
    performance reform reforms senior sex test tests
    administration cadre données document documents équipe gestion gouvernement ligne
    ministère moyenne national nationale pays personnel politique processus projet
    projets public publique rapport rapports secteur service services système systèmes
    datos documentos equipo gestión gobierno informe informes línea ministerio nacional
    país países personal política proceso procesos proyecto proyectos público pública
    sector servicio servicios sistema sistemas
    """
)

#: The stems of Russian words too general to name alone, whatever their case ("страна",
#: "стране", "странах").
RUSSIAN_GENERIC = (
    "вопрос",
    "данн",
    "документ",
    "команд",
    "лини",
    "министерств",
    "отчет",
    "отчёт",
    "правительств",
    "проблем",
    "процесс",
    "проект",
    "систем",
    "сотрудник",
    "стран",
    "управлен",
)

#: Words that only make a fragment, alone or in a phrase ("outside", "based", "share",
#: "mainly"): prepositions and adverbs, common verbs and their participles, and adjectives
#: of degree or judgement. Words ending as an English adverb ("-ly") or participle
#: ("-ed") are treated alike (:func:`function_like`).
FUNCTION = _words(
    """
    actual actually across agree agreed ahead allow allowed apart ask asked bad based basic
    big bring brings built carry clear close common complete current different difficult
    easy else enough entire especially example fair fast follow follows former full
    general hard hear held high important inside keep keeps kept key large latest least
    led less long low main major meet minor more most need outside particular possible
    previous proper rather real recent related relevant right run running set sets share
    shares sharing show shows similar simple single specific stand stop strong sure tell
    true repeat various via whole wide within without
    bought brought check chosen cross drawn joint known left lost mandatory met paid seen
    sent shown spent thought track won written alongside half multi near supports
    basé basée basés dehors partager seulement surtout
    basado basada compartir fuera solamente
    """
)

#: Common English verbs that are seldom nouns, each also with "-s" or "-es" ("reaches"):
#: fragments too ("requests arrive", "records belong").
_VERB_BASES = _words(
    """
    accept achieve adopt allow appear apply arrive avoid belong buy choose comply connect
    consider continue create decide deliver depend describe develop draw earn ensure
    establish exist expect explain fill find finish gain grow happen hire hold hope
    identify implement improve include inform introduce involve join lack lead leave let
    live lose manage mean move obtain occur operate owe own pass perform persuade prefer
    prepare prevent produce protect prove provide publish raise reach read receive reduce
    refuse reject rely remain remove replace require respond save seem sell send serve
    settle sign solve spend stay struggle submit succeed suggest suspect tend think train
    treat turn understand wait win wish write
    """
)
VERBS = (
    _VERB_BASES
    | {f"{v}s" for v in _VERB_BASES}
    | {f"{v}es" for v in _VERB_BASES if v.endswith(("ch", "sh", "ss"))}
)

#: English words ending in "-ly" that are nouns, not adverbs.
_LY_NOUNS = _words("anomaly assembly family italy july monopoly rally reply supply")
#: English words ending in "-ing" that name a practice or a thing, not an action.
ING_NOUNS = _words(
    """
    accounting auditing banking benchmarking billing bookkeeping budgeting building ceiling
    contracting costing financing funding housing invoicing licensing lobbying mapping
    marketing meeting mentoring monitoring offering outsourcing planning policing polling
    pricing processing profiling rating recruiting reporting sourcing spending staffing
    string tagging training vetting whistleblowing
    """
)
#: English verbs end so ("organise", "prioritize"), these nouns too.
_VERB = ("ise", "ize", "ises", "izes")
_ISE_NOUNS = _words(
    "compromise enterprise enterprises exercise exercises expertise franchise premises"
)


@cache
def concept_stop_words() -> frozenset[str]:
    """Every word a concept leaves out (see the module's documentation)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from peerlearn.matching.encoders import tfidf_stop_words

    return (
        frozenset(ENGLISH_STOP_WORDS)
        | set(tfidf_stop_words())
        | FRENCH
        | SPANISH
        | RUSSIAN
        | FILLER
    )


#: Endings of Russian verbs (infinitive, reflexive; not the nouns of "-ость", "-асть") and
#: of adjectives.
_RU_VERB = ("ать", "ять", "еть", "ить", "уть", "ыть", "ся", "сь")
_RU_ADJECTIVE = ("ый", "ой", "ая", "яя", "ое", "ее", "ые", "ого", "ому", "ыми", "ими", "ых", "ую")
#: Endings of English adjectives (not nouns: "reliable", "various", "useful", "technical").
_ADJECTIVE = ("able", "ible", "ous", "ful", "less", "ical", "ional")


def function_like(word: str) -> bool:
    """Whether ``word`` (lower case) only makes a fragment, alone or in a phrase: a word of
    :data:`FUNCTION`, an English adverb ("mainly"), past participle ("based"), verb
    ("organise") or present participle ("linking", but not "budgeting": :data:`ING_NOUNS`),
    a Spanish adverb, a Russian verb.

    >>> [w for w in ["based", "mainly", "outside", "linking", "organise", "supply",
    ...              "speed", "budgeting", "expertise", "rápidamente", "учиться", "audit"]
    ...  if function_like(w)]
    ['based', 'mainly', 'outside', 'linking', 'organise', 'rápidamente', 'учиться']
    """
    if word in FUNCTION or word in VERBS:
        return True
    if word.endswith("ly"):
        return word not in _LY_NOUNS
    if word.endswith("ed"):
        return len(word) > 4 and not word.endswith("eed")
    if word.endswith("ing"):
        return len(word) > 5 and word not in ING_NOUNS
    if word.endswith(_VERB):
        return len(word) > 6 and word not in _ISE_NOUNS
    return word.endswith("mente") or (len(word) > 4 and word.endswith(_RU_VERB))


#: Prefixes a hyphen leaves as words of their own ("pre" of "pre-filled", "self" of
#: "self-assessment"): never a concept alone, though a phrase may hold one ("self
#: assessment", "non compliance").
PREFIXES = _words(
    """
    anti auto cross inter intra mid multi non post pre pro semi self sub
    pré sous
    """
)


def lone_concept(word: str) -> bool:
    """Whether ``word`` may be named as a concept on its own: not a fragment
    (:func:`function_like`), not too general (:data:`GENERIC`), not a prefix
    (:data:`PREFIXES`), and not an English or Russian adjective. (That it is rare across
    the pool is checked where the concepts are fitted.)

    >>> [w for w in ["accreditation", "line", "country", "documents", "average", "pre",
    ...              "taxpayers", "based", "reliable", "бюджетный", "стране",
    ...              "недвижимость"] if lone_concept(w)]
    ['accreditation', 'taxpayers', 'недвижимость']
    """
    return not (
        word in GENERIC
        or word in PREFIXES
        or word.startswith(RUSSIAN_GENERIC)
        or function_like(word)
        or word.endswith(_ADJECTIVE)
        or word.endswith(_RU_ADJECTIVE)
    )


def phrase_concept(phrase: str) -> bool:
    """Whether a two-word ``phrase`` found in both texts may be named: neither word is a
    fragment (:func:`function_like`), and one at least is not a general word (a phrase
    may hold one: "reporting line", "performance contracts"; not two: "value examples").

    >>> [p for p in ["performance contracts", "reporting line", "budget tagging",
    ...              "revenue collected", "based audit", "outside management",
    ...              "mainly kazakh", "linking performance", "requests arrive",
    ...              "value examples", "ghost workers"] if phrase_concept(p)]
    ['performance contracts', 'reporting line', 'budget tagging', 'ghost workers']
    """
    words = phrase.split()
    if any(function_like(w) for w in words):
        return False
    return not all(w in GENERIC or w.startswith(RUSSIAN_GENERIC) for w in words)
