"""Words that never make a concept: function words and the filler of any statement.

An explanation names the concepts a group's texts share (:class:`~peerlearn.matching.explain.
Concepts`). A concept must be a content word or phrase of the texts, so it leaves out

* English function words: scikit-learn's list (``ENGLISH_STOP_WORDS``);
* French function words: :data:`FRENCH`, written here — articles, pronouns, prepositions,
  conjunctions, the forms of *être*, *avoir* and *faire*, and common adverbs;
* Spanish and Russian function words the TF-IDF encoder also leaves out;
* :data:`FILLER`: words any peer's statement uses whatever its subject — time ("ago",
  "years"), effort ("finished", "started", "working"), how a figure moved ("fell",
  "tripled"), the platform's own vocabulary ("peers", "challenge", "experience") — which
  say nothing about what a group shares.

Numbers, words shorter than three letters and words found in most texts of the pool are
left out where the concepts are fitted (:data:`CONCEPT_TOKEN`).

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


@cache
def concept_stop_words() -> frozenset[str]:
    """Every word a concept leaves out (see the module's documentation)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from peerlearn.matching.encoders import tfidf_stop_words

    return frozenset(ENGLISH_STOP_WORDS) | set(tfidf_stop_words()) | FRENCH | FILLER
