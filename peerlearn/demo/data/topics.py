# ruff: noqa: E501 - prose and names read best one per line
"""What synthetic challenges (demand) and experiences (supply) are written from.

Each topic is one concrete reform problem. A challenge is composed of one *situation* (where
we stand), one *ask* (what we want to learn) and sometimes a generic constraint; an
experience of one *action* (what we did), one *result* and sometimes an offer. Titles, asks
and results are written in the same order as the situations or actions they go with. Demand and
supply on the same topic share their vocabulary, so one peer's experience answers another's
challenge the way the matching engine expects, yet no two texts need be the same.

Placeholders: ``{We}``/``{we}`` the organisation ("Our county"), ``{unit}``/``{units}``
its kind ("county"/"counties"), ``{money}`` an amount in the country's currency, and
numbers: ``{pct}`` 15–45, ``{pct_small}`` 5–15, ``{pct_high}`` 80–95, ``{n}`` 3–12,
``{n_big}`` hundreds to thousands, ``{months}``, ``{weeks}``, ``{days}``, ``{year}``…
(see :func:`peerlearn.demo.generate.numbers`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    key: str
    theme: str
    #: Organisation kinds the topic fits; empty means any.
    kinds: tuple[str, ...]
    challenge_titles: tuple[str, ...]
    situations: tuple[str, ...]
    asks: tuple[str, ...]
    experience_titles: tuple[str, ...]
    actions: tuple[str, ...]
    results: tuple[str, ...]


def _t(key: str, theme: str, kinds: str, text: str) -> Topic:
    parts: dict[str, list[str]] = {k: [] for k in "CSAEDR"}
    for raw in text.strip().splitlines():
        line = raw.strip()
        tag, _, body = line.partition(":")
        if tag in ("C", "E"):
            parts[tag].extend(x.strip() for x in body.split("|"))
        else:
            parts[tag].append(body.strip())
    assert all(parts.values()), key
    return Topic(
        key,
        theme,
        tuple(kinds.split()),
        tuple(parts["C"]),
        tuple(parts["S"]),
        tuple(parts["A"]),
        tuple(parts["E"]),
        tuple(parts["D"]),
        tuple(parts["R"]),
    )


LOCAL = "local_government"

TOPICS: tuple[Topic, ...] = (
    # --- Revenue and public financial management -----------------------------------------
    _t(
        "market-fees-cashless",
        "revenue-pfm",
        LOCAL,
        """
    C: Moving market and parking fees off cash | Leakage in cash-collected market fees
    S: {We} still collects market and parking fees in cash, and our own estimates put the leakage at around {pct}% of what should come in.
    S: Fees in our {n} markets are collected by hand against paper receipts, and the daily returns rarely match what traders tell us they paid.
    S: Cash collection of market and bus-park fees is our largest own-source revenue stream, yet collections fall every time collectors or supervisors change.
    A: We want to learn how others moved to mobile payments without losing traders' goodwill.
    A: We would like to hear from a {unit} that has gone cashless: how they handled agent commissions, network outages on market days and the collectors whose jobs changed.
    A: We are looking for peers who can show us their contract with the payment provider and how they reconcile mobile receipts with the ledger.
    E: Cashless market and parking fees through mobile money | Mobile payment of market fees
    D: In {year} {we} moved market and bus-park fees to mobile money: traders pay through a short code and collectors only check the receipt on a handset.
    D: We replaced paper receipt books in {n} markets with mobile payments and a simple daily reconciliation against the bank statement.
    R: Collections from markets rose by about {pct}% in the first year, and disputes with traders at the gate almost disappeared.
    R: Within {months} months the gap between expected and banked market fees fell from roughly {pct}% to under {pct_small}%.
    """,
    ),
    _t(
        "property-rates",
        "revenue-pfm",
        LOCAL,
        """
    C: An outdated valuation roll for property rates | Low collection of property rates
    S: Our valuation roll dates from {year_old} and covers barely half of the properties actually built, so property rates bring in a fraction of their potential.
    S: Property rates should be {we}'s most stable revenue, but only about {pct}% of assessed owners pay, and we have no reliable way to follow up arrears.
    A: We want to learn how peers updated a valuation roll quickly and cheaply, for example with aerial imagery or mass appraisal, and how they defended the new values politically.
    A: We would value contact with a {unit} that has linked its property register to land records and cleared arrears without rewarding those who never paid.
    E: Updating the valuation roll with mass appraisal | Raising compliance with property rates
    D: We built a new valuation roll in {months} months using aerial imagery, a simple mass-appraisal model and ward-by-ward public hearings on the draft values.
    D: We matched the rates register with land and utility records, sent reminders by SMS and offered a one-off penalty waiver to owners who settled arrears within {days} days.
    R: Property rate collections grew by {pct}% over two years, and objections to values were fewer than we feared because owners could see the evidence.
    R: The number of paying owners went up by roughly {pct}%, and the register now shows {n_big} properties that had never been billed.
    """,
    ),
    _t(
        "small-taxpayers",
        "revenue-pfm",
        "revenue_authority finance_ministry",
        """
    C: Bringing small and informal businesses into the tax net | A taxpayer register full of inactive records
    S: Our taxpayer register keeps growing, but about {pct}% of the records belong to businesses that have never filed, and small traders in the informal sector remain largely outside the system.
    S: The presumptive tax for small businesses is collected unevenly: some regions do well, others hardly at all, and our data cannot tell us why.
    A: We want to learn how other administrations simplified registration and filing for small businesses and cleaned their registers without losing real taxpayers.
    A: We would like to compare notes with an authority that used third-party data, such as mobile money or utility records, to find businesses that trade but are not registered.
    E: A simplified regime and register clean-up for small taxpayers | Using third-party data to widen the tax base
    D: We introduced a one-page, turnover-based regime for small businesses with filing by phone, and archived dormant records after a {months}-month verification campaign.
    D: We signed data-sharing agreements with the business registry and the utilities and used the matches to visit and register businesses that were trading but invisible to us.
    R: Active filers among small businesses rose by {pct}%, and our staff now spend their time on taxpayers who actually exist.
    R: About {n_big} new taxpayers were registered in the first year, most paying modest amounts but filing regularly.
    """,
    ),
    _t(
        "budget-execution",
        "revenue-pfm",
        "finance_ministry local_government intergovernmental",
        """
    C: A budget that is not executed as approved | Cash rationing and payment arrears
    S: Every year we execute only about {pct_exec}% of the development budget, while arrears to suppliers keep growing because cash releases do not follow the approved plan.
    S: Budget credibility is weak: departments receive funds late and in unpredictable amounts, so they stop planning and simply wait for releases.
    A: We want to learn how peers built a cash-flow forecast that departments trust and tied commitment controls to it.
    A: We are interested in how others reduced arrears and made in-year reporting useful to managers rather than a compliance exercise.
    E: A cash-flow forecast tied to commitment controls | Cutting payment arrears
    D: We set up a small cash-management unit that agrees a rolling {n}-month forecast with each department and releases funds against it every month.
    D: We made commitment controls binding in the financial management system, published a monthly arrears report and agreed a clearance plan with the largest suppliers.
    R: Execution of the development budget improved from about {pct_exec}% to over 85%, and suppliers now know when they will be paid.
    R: Arrears fell by roughly {pct}% in two years, and departments started planning again because releases became predictable.
    """,
    ),
    _t(
        "refunds-risk",
        "revenue-pfm",
        "revenue_authority",
        """
    C: A backlog of VAT refund claims | Moving to risk-based audit selection
    S: We have a backlog of VAT refund claims worth about {money}, because every claim is audited in full before it is paid.
    S: Audit cases are still selected by rotation and by instruction from above, and we suspect most of our effort goes on taxpayers who already comply.
    A: We would like to talk to an authority that fast-tracked low-risk refunds and measured whether fraud went up as a result.
    A: We want to learn how others built a risk engine for refunds and audit selection and persuaded management to trust it.
    E: Risk-based processing of VAT refunds | A risk engine for audit selection
    D: We built a simple scoring model from filing history and third-party data, so that low-risk refunds are paid within {days} days and only the riskiest claims are audited.
    D: We created a risk unit of {n} analysts that selects audit cases from the data and reports every quarter on the yield of each rule.
    R: The refund backlog was cleared in {months} months and the yield per audit roughly doubled, while complaints from exporters fell sharply.
    R: Additional assessments per audit rose by {pct}%, and we can now explain to management why each case was selected.
    """,
    ),
    _t(
        "tax-expenditures",
        "revenue-pfm",
        "finance_ministry think_tank parliament intergovernmental audit mining",
        """
    C: Tax exemptions nobody counts | Reporting the cost of tax incentives
    S: Tax exemptions and incentives are granted under several laws and by several agencies, and nobody can say what they cost the budget each year.
    S: Members keep asking for the cost of tax incentives, but there is no agreed method and no data to give a credible figure.
    A: We want to learn how peers prepared a first tax expenditure report, which data they used and how they handled pressure from beneficiaries.
    A: We are looking for an institution that has estimated revenue forgone and published it alongside the budget.
    E: A first tax expenditure report | Estimating the cost of tax incentives
    D: We built an inventory of every exemption in force, estimated revenue forgone for the largest ones from customs and VAT data, and annexed the report to the budget.
    D: We worked with the revenue authority to flag exempt transactions in returns, which let us estimate the cost of incentives sector by sector.
    R: The first report put the cost of exemptions at several percent of GDP, and several of them have since been repealed or given an end date.
    R: Publishing the figures changed the debate: requests for new incentives now come with a cost estimate.
    """,
    ),
    # --- Decentralisation and local government ---------------------------------------
    _t(
        "local-revenue-law",
        "decentralisation",
        LOCAL,
        """
    C: No sound legal basis for several local revenue streams | Drafting a revenue administration law
    S: Several of our fees are charged under by-laws inherited from the former local authorities, and traders have challenged them in court.
    S: Our finance act is re-enacted every year with the same gaps, and no law sets out our enforcement powers or an appeals process.
    A: We want to learn how other {units} drafted a revenue administration law, whom they consulted and how they got it through the assembly.
    A: We would value a peer who can walk us through a model law and the consultations that made it stick.
    E: A revenue administration act passed with traders' support | One law for all local fees and charges
    D: We drafted a single revenue administration act with the assembly's finance committee, held public hearings in every ward and published a plain-language guide.
    D: We replaced {n} separate by-laws with one consolidated law on fees and charges, with clear enforcement steps and an appeals committee.
    R: Court challenges dropped, and collectors now have a clear legal basis when they enforce payment.
    R: Since the law passed, own-source revenue has grown by about {pct}%, partly because we could finally enforce arrears.
    """,
    ),
    _t(
        "transfers",
        "decentralisation",
        "local_government finance_ministry intergovernmental think_tank",
        """
    C: Late and unpredictable transfers from the centre | A fair formula for sharing revenue
    S: Transfers from the national government reach local governments {months_late} months late on average, so salaries are paid on overdraft and projects are postponed.
    S: The formula for sharing revenue between levels of government has not been reviewed in years, and poorer areas feel it rewards those who are already better off.
    A: We want to learn how peers negotiated a predictable disbursement calendar and what they did while waiting for it to be respected.
    A: We would like to hear how others reviewed a sharing formula with data that all sides accepted.
    E: A disbursement calendar agreed with the treasury | Reviewing the revenue-sharing formula
    D: We agreed a published disbursement calendar with the treasury and a joint committee that meets monthly to clear delays.
    D: We led a review of the sharing formula based on population, poverty and fiscal effort, and tested every option with the local governments before it went to parliament.
    R: Average delays fell from over {months_late} months to a few weeks, and salary overdrafts stopped.
    R: The new formula was adopted with broad support, because every local government could see its own figures before the vote.
    """,
    ),
    _t(
        "revenue-department",
        "decentralisation",
        LOCAL,
        """
    C: Giving the revenue department a clear structure and mandate | Revenue staff scattered across departments
    S: Revenue staff sit in different departments and report to different chief officers, so nobody is accountable for the total collected.
    S: Our revenue department has no say over its staff or budget, and every decision goes through several layers of approval.
    A: We want to learn how other {units} set up a semi-autonomous revenue agency or unit and what it did to collections and accountability.
    A: We are looking for peers who brought all revenue functions under one director and can share the organogram and job descriptions.
    E: One revenue department under one director | A semi-autonomous revenue unit
    D: We moved all revenue streams and staff under a single director with monthly targets, and set up a revenue board chaired by the head of finance.
    D: We created a revenue unit with its own budget line and a performance agreement with the executive, modelled loosely on the national revenue authority.
    R: For the first time we have one monthly report on every revenue stream, and collections grew by {pct}% in the first full year.
    R: Decisions that used to take weeks are now taken in the unit, and leakage fell once staff were rotated across streams.
    """,
    ),
    _t(
        "participatory-budgeting",
        "decentralisation",
        "local_government ngo think_tank intergovernmental",
        """
    C: Public participation that changes little | Making budget hearings meaningful
    S: The law requires public participation in local budgeting, but hearings are poorly attended and the comments rarely change what gets funded.
    S: Residents tell us they are consulted every year and never hear what happened to their proposals.
    A: We want to learn how others made participation meaningful: how they shared budget information simply and reported back on what was done.
    A: We would like to hear from a local government that ring-fenced part of its development budget for projects chosen by residents.
    E: Ward-level participatory budgeting | Reporting back to residents on their proposals
    D: A share of the development budget, about {pct_small}%, was ring-fenced for projects chosen in ward assemblies, with a one-page citizens' budget in the local languages.
    D: We set up a simple tracker, on notice boards and online, that shows each proposal made in a hearing and what became of it.
    R: Attendance at hearings tripled over two years, and residents began to pay local fees more willingly once they saw projects delivered.
    R: Complaints about consultation fell, and the assembly now refers to the tracker in its own debates.
    """,
    ),
    # --- Public service delivery -------------------------------------------------------
    _t(
        "one-stop-shop",
        "service-delivery",
        "service_agency local_government",
        """
    C: Setting up one-stop service centres | Citizens sent from office to office
    S: To get a business permit, citizens visit up to {n} different offices, and each one asks for the same documents again.
    S: We have been asked to open one-stop service centres within {months} months, but the agencies whose services would move there are reluctant to give up control.
    A: We want to learn how peers persuaded agencies to place staff in a single centre and how they shared fees and responsibilities.
    A: We are looking for a practitioner who has run a public service hall and can tell us what they would design differently.
    E: Running one-stop public service centres | Bringing agencies under one roof
    D: We opened {n} service centres where staff from several agencies work to common standards, with one queue, one payment point and a shared back office.
    D: We negotiated service agreements with each agency that set out who does what, how fees are shared and how complaints are handled.
    R: More than {n_big} citizens a month are served in the centres, and getting a business permit now takes days instead of weeks.
    R: Satisfaction in our surveys rose above {pct_high}%, and agencies that hesitated at first now ask to join.
    """,
    ),
    _t(
        "service-standards",
        "service-delivery",
        "service_agency local_government revenue_authority",
        """
    C: Measuring citizen satisfaction reliably | Service standards that staff actually follow
    S: We publish service charters, but we measure neither waiting times nor satisfaction, so we cannot tell whether the standards are met.
    S: Complaints arrive through many channels and nobody analyses them, so the same problems repeat month after month.
    A: We want to learn how peers measure satisfaction and waiting times cheaply and use the results in managing staff.
    A: We would like to see how others set up a complaints system that feeds back into service improvements.
    E: Measuring waiting times and satisfaction | A complaints system that improves services
    D: We installed queue ticketing and a short exit survey on a tablet in every centre, and the results are discussed in a weekly management meeting.
    D: We brought all complaint channels into one register, classified complaints by cause and assigned each cause to a manager with a deadline.
    R: Average waiting time fell by {pct}% in a year, and centres now compete to top the monthly satisfaction table.
    R: Repeat complaints fell by roughly {pct}%, and staff say the register protects them as much as it exposes problems.
    """,
    ),
    _t(
        "rural-services",
        "service-delivery",
        "service_agency local_government",
        """
    C: Reaching citizens far from the capital | Public services for rural areas
    S: Citizens in remote areas travel up to {n} hours to reach one of our offices, and many give up on services they are entitled to.
    S: Our online services are used mostly in the capital; in rural areas both connectivity and trust in digital services are low.
    A: We want to learn how peers organised mobile service units or agents in rural areas and kept quality and integrity under control.
    A: We are interested in how others combined online services with assisted access points in post offices or local offices.
    E: Mobile service units for remote areas | Assisted access points for online services
    D: We equipped {n} vehicles as mobile service centres that visit remote communities on a published schedule, connected by satellite to the central systems.
    D: We trained staff in local offices and post offices to help citizens use online services, with a small fee per transaction to keep the agents motivated.
    R: Over {n_big} citizens used the mobile units in the first year, many of them women and elderly people who had never reached an office.
    R: Online transactions from rural areas doubled, and assisted points now handle about a quarter of all requests.
    """,
    ),
    # --- Civil service and HR reform ---------------------------------------------------
    _t(
        "merit-recruitment",
        "civil-service-hr",
        "civil_service cabinet revenue_authority",
        """
    C: Recruitment on merit rather than connections | Competency-based recruitment
    S: Recruitment in our service is still based on paper qualifications and interviews that candidates say are decided in advance.
    S: We have drafted a competency framework, but recruitment panels do not use it and vacancies take about {months} months to fill.
    A: We want to learn how peers introduced written tests and competency-based interviews and protected the process from interference.
    A: We would like to hear from a commission that has piloted competency-based recruitment and can share its tools and the resistance it met.
    E: Competency-based recruitment with independent panels | Computer-based recruitment tests
    D: We piloted competency-based recruitment in {n} ministries, with standard tests, trained panels that include an outside member, and published results.
    D: We moved the first stage of recruitment to computer-based tests marked automatically, which removed discretion where complaints had been highest.
    R: Time to fill a vacancy fell from {months} months to about {weeks} weeks, and appeals dropped by more than half.
    R: Candidate surveys show much more trust in the process, and the pilot is now being rolled out across government.
    """,
    ),
    _t(
        "delegated-hr",
        "civil-service-hr",
        "civil_service local_government cabinet",
        """
    C: Decentralising HR decisions to where staff work | Every HR decision goes to the centre
    S: Every transfer, promotion and disciplinary case is decided centrally, and a simple decision can take {months} months while the post stays empty.
    S: Our government has decided to delegate HR decisions to line ministries and local governments, but managers there have never exercised these powers.
    A: We want to learn how peers delegated HR authority step by step, which safeguards they kept at the centre and how they handled those who lost power.
    A: We are looking for practitioners who piloted decentralised HR management in a few institutions first.
    E: Piloting delegated HR management | Mapping who gains and who loses from an HR reform
    D: We delegated appointments and discipline for junior grades to {n} pilot institutions, with a clear manual, an appeal route and quarterly audits by the centre.
    D: Before each stage of the reform we mapped what every stakeholder stood to gain or lose and adapted our messages to each group.
    R: Decisions in the pilot institutions now take weeks rather than months, and the audits found fewer irregularities than under the central system.
    R: Resistance did not disappear, but it became manageable once senior officials saw the benefits for their own institutions.
    """,
    ),
    _t(
        "performance-management",
        "civil-service-hr",
        "civil_service revenue_authority local_government cabinet",
        """
    C: Performance appraisal nobody takes seriously | Linking performance contracts to results
    S: Almost everyone in our service is rated "very good" every year, so appraisals say nothing and reward nothing.
    S: Performance contracts are signed by senior managers only, and they are not cascaded to the staff who actually deliver the results.
    A: We would like to see appraisal forms and moderation processes that made ratings meaningful.
    A: We want to learn how peers cascaded performance contracts to front-line staff and kept targets realistic and fair.
    E: Cascading performance contracts to front-line staff | Moderated performance appraisal
    D: We cascaded performance contracts from directors to every officer, with {n} measurable targets each and a mid-year review with the supervisor.
    D: We introduced moderation panels that compare ratings across units before they are final, and linked training and promotion to the results.
    R: The share of staff rated at the top fell from over {pct_high}% to a believable level, and managers now use appraisals to plan training.
    R: The share of targets met rose steadily, and staff told us they finally knew what was expected of them.
    """,
    ),
    _t(
        "payroll",
        "civil-service-hr",
        "civil_service finance_ministry",
        """
    C: Ghost workers and a payroll we cannot verify | Cleaning the public payroll
    S: We suspect that part of the payroll goes to staff who have left or never existed, but HR records and the payroll are kept in separate systems.
    S: The wage bill grows faster than the number of staff we can account for, and each headcount is out of date by the time it is finished.
    A: We want to learn how peers linked HR records to the payroll and cleaned it without disrupting legitimate salaries.
    A: We are looking for an institution that used biometric verification or bank data to clean its payroll.
    E: Linking the HR database and the payroll | Biometric payroll verification
    D: We linked the HR information system to the payroll so that nobody can be paid without an active HR record and a verified national ID.
    D: We ran a biometric headcount in every ministry and required banks to confirm account holders before salaries were paid.
    R: About {n_big} irregular entries were removed, saving roughly {money} a year.
    R: The payroll is now reconciled monthly, and the wage bill is under control for the first time in years.
    """,
    ),
    _t(
        "induction-skills",
        "civil-service-hr",
        "",
        """
    C: Inducting new managers quickly | Practical skills for staff who learn on the job
    S: New managers arrive with little induction and spend their first months learning by trial and error.
    S: Most of our staff were trained years ago and learn new systems on the job, and there is no budget for long courses.
    A: We want to learn how peers organised short, practical induction and peer mentoring for staff.
    A: We would value ideas on coaching and job rotation that build skills without taking people away from their work.
    E: Peer mentoring for newly appointed managers | Short practical learning on the job
    D: We paired each newly appointed manager with an experienced peer from another unit for {months} months, with a short induction pack and monthly check-ins.
    D: We replaced long classroom courses with short practical sessions run by our own experienced staff, followed by coaching at the workplace.
    R: New managers told us they became effective much faster, and several mentors said they learned as much as their mentees.
    R: Training reached {n_big} staff in a year at a fraction of the cost of the old courses.
    """,
    ),
    # --- Parliaments and evidence ------------------------------------------------------
    _t(
        "research-service",
        "parliaments-evidence",
        "parliament",
        """
    C: A research service members rarely use | Timely research for committees
    S: Our research unit has {n} staff for over {n_mps} members, and requests arrive the night before a debate, so briefs are late or superficial.
    S: Members seldom ask the research service for evidence; they rely on lobbyists and on the executive's own figures.
    A: We want to learn how other parliaments raised demand for research among members and organised the service to meet deadlines.
    A: We would like to hear how peers built short briefing formats and a request system that members actually use.
    E: Short briefing formats for members | Raising demand for parliamentary research
    D: We introduced two-page briefs and a request form with agreed deadlines, and we present our work to each committee at the start of the session.
    D: We assigned a researcher to each committee, so members know whom to call and researchers follow the committee's agenda from the start.
    R: Requests from members rose by about {pct}% in a year, and committee reports now cite our briefs.
    R: Most bills now reach the floor with a research brief, and members say the briefs changed the questions asked in the chamber.
    """,
    ),
    _t(
        "evidence-caucus",
        "parliaments-evidence",
        "parliament think_tank",
        """
    C: Members and staff working together on evidence | Keeping an evidence caucus alive after elections
    S: A group of members set up an informal caucus on the use of evidence, but it depends on a few individuals and may not survive the next election.
    S: Staff and members work in separate worlds: staff produce reports, members rarely engage with them, and nobody sees it as a joint task.
    A: We want to learn how peers made collaboration between members and staff last beyond a parliamentary term.
    A: We are looking for parliaments that have organised a research week or similar events with universities and think tanks.
    E: A research week with universities | An evidence caucus that survived the election
    D: We organised a research week where universities and think tanks presented their work to members and committees, and staff followed up with briefs.
    D: Before the election we helped the caucus write its terms of reference and hand over to a new chair, vice-chair and members.
    R: The research week is now an annual event, and another parliament in the region has adapted the idea.
    R: The caucus continued into the new parliament, with new members joining in its first months.
    """,
    ),
    _t(
        "budget-office",
        "parliaments-evidence",
        "parliament think_tank",
        """
    C: Scrutinising the budget with little capacity | Setting up a parliamentary budget office
    S: The budget reaches parliament with only {weeks} weeks for scrutiny, and members have no independent analysis of the figures.
    S: Parliament has approved a budget office, but there is no clear view of the mandate, staffing or independence it needs.
    A: We would like to compare how committees elsewhere organise budget hearings and follow up on audit reports.
    A: We want to learn how peers set up a budget office, what it produced in its first year and how it keeps its distance from party politics.
    E: Building a parliamentary budget office | Independent analysis of the budget for members
    D: We set up a budget office with {n} analysts who publish a short analysis of the budget proposal, the fiscal framework and in-year execution.
    D: We agreed a calendar with the finance ministry so that the budget arrives earlier, and our analysts brief each committee before its hearings.
    R: Members now amend the budget on the basis of our analysis, and the media quote our figures.
    R: Scrutiny time doubled, and committees now follow up audit recommendations systematically.
    """,
    ),
    # --- Climate finance integrity -----------------------------------------------------
    _t(
        "gcf-accreditation",
        "climate-finance",
        "environment development_bank finance_ministry",
        """
    C: Preparing for accreditation with the Green Climate Fund | Meeting the fiduciary standards for direct access
    S: We are preparing our application for accreditation with the Green Climate Fund, and the gap assessment showed weaknesses in our fiduciary and procurement systems.
    S: Our accreditation application has been under review for {months} months, and every round of questions reveals a policy we do not have in writing.
    A: We want to learn from institutions that completed accreditation which gaps took longest to close and how they organised the work.
    A: We would value a peer who can share their policies and the evidence they submitted, and tell us what the reviewers looked for.
    E: Completing accreditation with the Green Climate Fund | Closing fiduciary gaps before accreditation
    D: We completed accreditation after closing gaps in internal audit, procurement and financial reporting, with a dedicated team of {n} staff and a clear timeline.
    D: We wrote the missing policies with our own staff rather than consultants and tested each one on a live project before submitting it.
    R: We are now accredited and implementing our first funded project, and the new systems have improved our other programmes too.
    R: The review went faster than expected because the evidence was organised around the fund's own standards.
    """,
    ),
    _t(
        "climate-integrity",
        "climate-finance",
        "environment development_bank ngo think_tank",
        """
    C: Anti-corruption safeguards for climate projects | An integrity policy for climate funds
    S: Climate money is arriving faster than our controls: we have no whistleblowing channel, no conflict-of-interest policy and no capacity to investigate.
    S: Communities near our projects have raised allegations about how contracts were awarded, and we lack a process to look into them.
    A: We want to learn how peers set up anti-corruption and integrity policies that satisfy the fund and work in practice.
    A: We are looking for institutions that have handled an integrity complaint on a climate project and can share how they investigated it.
    E: Integrity and anti-corruption policies for climate projects | Handling integrity complaints on climate projects
    D: We adopted an integrity policy with a conflict-of-interest register, a whistleblowing channel run by an outside firm and an investigation procedure.
    D: We set up a small integrity unit that reviews complaints from project sites and reports directly to the board.
    R: The policies passed the fund's review, and {n} complaints have been handled since, two of them leading to contract changes.
    R: Staff now declare their interests every year, and partners trust us enough to co-finance projects.
    """,
    ),
    _t(
        "climate-tagging",
        "climate-finance",
        "finance_ministry environment",
        """
    C: Tracking climate spending in the budget | Climate budget tagging
    S: We cannot tell how much of the budget goes to climate adaptation and mitigation, which weakens our case when we apply for international climate finance.
    S: Ministries label programmes as climate-related inconsistently, and nobody checks the labels.
    A: We want to learn how peers introduced climate budget tagging with a method that ministries could apply consistently.
    A: We would like to see the guidelines and checks others use to verify climate tags.
    E: Climate budget tagging across ministries | Verifying climate tags in the budget
    D: We introduced climate tags in the chart of accounts with a short guide, and trained budget officers in {n} ministries to apply them.
    D: Every year we review a sample of tagged programmes with the environment ministry and publish a climate budget statement.
    R: We now report that about {pct_small}% of the budget is climate-related, and the figures supported two successful funding proposals.
    R: Tagging is now routine, and parliament debates the climate statement alongside the budget.
    """,
    ),
    _t(
        "climate-grievance",
        "climate-finance",
        "environment development_bank ngo",
        """
    C: Meaningful consultation of communities on climate projects | A grievance mechanism for climate projects
    S: Consultation with communities on our climate projects is a formality held once at the start, and people affected say they were never heard.
    S: The fund expects a grievance mechanism at project level, and we have never run one.
    A: We want to learn how peers designed stakeholder engagement and grievance processes that communities actually use.
    A: We would value examples of consultation plans that include women and indigenous groups from the start.
    E: A project grievance mechanism communities use | Stakeholder engagement plans for climate projects
    D: We set up grievance committees at each project site with a toll-free line, a log book and a {days}-day response standard.
    D: We held consultations in local languages at several stages of each project, with separate sessions for women, and reported back on what changed.
    R: Communities now raise issues early, and most grievances are resolved at site level within a month.
    R: Participation of women in consultations rose above {pct}%, and project designs changed in response.
    """,
    ),
    # --- Open government ---------------------------------------------------------------
    _t(
        "ogp-cocreation",
        "open-government",
        "cabinet ngo finance_ministry parliament think_tank",
        """
    C: Co-creating an open government action plan | Keeping civil society engaged in open government
    S: Our first open government action plan was written largely by officials, and civil society organisations felt consulted only at the end.
    S: We are preparing commitments for the next action plan, and several ministries see it as extra reporting rather than a way to get reforms done.
    A: We want to learn how peers ran a genuine co-creation process with civil society and kept commitments ambitious but achievable.
    A: We would like to hear how others set up a multi-stakeholder forum that meets regularly and has real influence.
    E: Co-creation through a multi-stakeholder forum | Open government commitments that were delivered
    D: We set up a multi-stakeholder forum with equal numbers of government and civil society members, which drafted and prioritised the commitments together.
    D: We linked each commitment to a reform a ministry already wanted to deliver, with a named lead and milestones every {months} months.
    R: The independent review rated more commitments as substantially completed than in our previous plan.
    R: Civil society organisations stayed engaged for the whole plan, and the forum now reviews other reforms too.
    """,
    ),
    _t(
        "access-to-information",
        "open-government",
        "",
        """
    C: Answering access-to-information requests on time | Implementing a new access-to-information law
    S: A new access-to-information law gives us {days} days to answer requests, but we have no register, no trained officers and records that are hard to find.
    S: Requests for information are growing, and most go unanswered because staff fear sanctions for releasing the wrong document.
    A: We want to learn how peers organised information officers, record keeping and proactive publication to meet the deadlines.
    A: We would value practical guidance on deciding what can be released and on protecting staff who release information in good faith.
    E: Handling information requests with a simple register | Proactive publication to reduce requests
    D: We appointed information officers in every unit, set up an online request register and publish the most requested documents proactively.
    D: We wrote a short guide on exemptions with worked examples, reviewed by our legal team, so that staff can decide with confidence.
    R: The share of requests answered on time rose to about {pct_high}%, and repeat requests fell because the documents are online.
    R: Appeals to the information commissioner fell, and staff no longer escalate every request to the top.
    """,
    ),
    _t(
        "open-budget",
        "open-government",
        "finance_ministry ngo local_government parliament think_tank",
        """
    C: Publishing a budget citizens can understand | Budget transparency and the Open Budget Survey
    S: The budget is published, but only as long technical documents, and the country's Open Budget Survey score has not improved in years.
    S: Citizens and journalists cannot find out how much is spent on schools and clinics in their area.
    A: We would like to hear how others improved their Open Budget Survey score with modest resources.
    A: We want to learn how peers produced a citizens' budget and published budget data in formats people actually use.
    E: A citizens' budget and open budget data | Raising the Open Budget Survey score
    D: We publish a short citizens' budget in {n} languages and release budget and spending data as spreadsheets every quarter.
    D: We worked with partners to get all eight key budget documents published on time and explained them in public meetings.
    R: The Open Budget Survey score rose by {n_obs} points, and local media now report on spending in each district.
    R: Downloads of the budget data grew every quarter, and researchers started using it to follow service delivery.
    """,
    ),
    _t(
        "independent-monitoring",
        "open-government",
        "ngo think_tank statistics",
        """
    C: Monitoring government commitments independently | Tracking whether reform commitments are delivered
    S: We track government commitments, but our reports are dismissed as partisan and rarely lead to dialogue.
    S: Commitments are announced with fanfare, but nobody checks systematically whether they were delivered.
    A: We want to learn how peers designed independent monitoring that government takes seriously, with clear methods and open data.
    A: We would like to compare monitoring methods with organisations that track open government or anti-corruption commitments.
    E: Independent progress reports with open data | A commitment tracker used by government and civil society
    D: We publish an annual progress report on each commitment with a transparent scoring method and release all our data openly.
    D: We built a public tracker of commitments, agreed the method with the responsible ministry and invite officials to comment before publication.
    R: Ministries now respond to our findings in writing, and several stalled commitments were revived after our report.
    R: Journalists use our data regularly, and the tracker has become the reference both sides cite in meetings.
    """,
    ),
    # --- Public procurement ------------------------------------------------------------
    _t(
        "e-procurement",
        "procurement",
        "procurement finance_ministry local_government",
        """
    C: Rolling out e-procurement | Moving tenders from paper to an online system
    S: Most of our tenders are still on paper: bids are delivered by hand, opened in rooms with few witnesses, and records are easily lost.
    S: An e-procurement system was launched {n_years} years ago, but only about {pct}% of entities use it, and suppliers outside the capital struggle to register.
    A: We want to learn how peers made e-procurement mandatory and supported suppliers and procuring entities to use it.
    A: We would like to hear what others would do differently if they introduced e-procurement again.
    E: Making e-procurement mandatory | Supporting suppliers to bid online
    D: We made e-tendering mandatory in phases, starting with the largest entities, and ran help desks for suppliers in {n} regional towns.
    D: We built the e-procurement system in modules, beginning with publication and e-submission, and trained procurement officers as champions in each entity.
    R: Within {months} months almost all tenders above the threshold were online, and the average number of bids rose by about {pct}%.
    R: Complaints about lost bids disappeared, and small firms from the regions now win a growing share of contracts.
    """,
    ),
    _t(
        "open-contracting",
        "procurement",
        "procurement ngo audit",
        """
    C: Weak contract management after award | Publishing contract data
    S: Once contracts are signed nobody follows them systematically: variations are approved informally and delays are not recorded.
    S: Tender notices are published, but not the awarded contracts, their amendments or payments, so citizens cannot follow what happens.
    A: We want to learn how peers introduced contract management plans and published data across the whole contracting cycle.
    A: We are interested in the Open Contracting Data Standard and in how others started with a few high-value sectors.
    E: Open contracting data for the whole cycle | Contract management plans for large contracts
    D: We started publishing data on awards, contracts and amendments using the Open Contracting Data Standard, first for roads and health.
    D: We require a contract management plan for every contract above the threshold, with a named manager and quarterly reports.
    R: Monitors used the data to flag {n} road contracts with unusual variations, which were then audited.
    R: Cost overruns on large contracts fell noticeably, and every variation now needs a written justification.
    """,
    ),
    _t(
        "framework-agreements",
        "procurement",
        "procurement finance_ministry",
        """
    C: Paying very different prices for the same goods | Framework agreements for common items
    S: Our entities pay very different prices for the same common goods, from paper to vehicles, and each runs its own tenders for small amounts.
    S: Prices for common goods vary by up to {pct_high}% between entities, and audits keep finding the same problems.
    A: We want to learn how peers set up framework agreements or central purchasing for common goods and got entities to use them.
    A: We would like to see the price reference databases others use to spot unusual bids.
    E: Framework agreements for common goods | A price reference database
    D: We set up framework agreements for {n} categories of common goods, with an online catalogue from which entities order directly.
    D: We built a price reference database from past contracts, which procurement officers and auditors consult before award.
    R: Prices for items in the catalogue fell by about {pct}%, and entities save weeks on each purchase.
    R: Bids far above the reference price are now questioned routinely, and the savings are reported every year.
    """,
    ),
    _t(
        "procurement-complaints",
        "procurement",
        "procurement anti_corruption",
        """
    C: A complaints process bidders trust | Debarring firms that commit fraud
    S: Bidders rarely use the formal review process because they fear being blacklisted, so problems surface only in the press.
    S: Firms found to have colluded or submitted fake documents simply re-register under another name and keep bidding.
    A: We want to learn how peers set up an independent review body and a debarment system that works across entities.
    A: We would like to compare rules on conflict of interest and beneficial ownership in procurement.
    E: An independent procurement review body | A debarment list linked to the company registry
    D: We set up an independent review panel that decides complaints within {days} days and publishes every decision online.
    D: We built a debarment list linked to the company registry and beneficial ownership data, which the e-procurement system checks automatically.
    R: Complaints rose at first and then fell as entities learned from the published decisions.
    R: Several debarred firms were stopped from re-registering, and collusion cases are now easier to prove.
    """,
    ),
    # --- Integrity and anti-corruption -------------------------------------------------
    _t(
        "asset-declarations",
        "anti-corruption",
        "anti_corruption civil_service",
        """
    C: Verifying asset declarations | Asset declarations filed but never checked
    S: Senior officials file asset declarations every year, but we have no capacity to verify them, so the system deters nobody.
    S: About {n_big} declarations arrive on paper each year, and we can check only a handful.
    A: We want to learn how peers moved declarations online and selected the ones to verify by risk.
    A: We would like to see how others cross-check declarations with land, vehicle and company registers.
    E: Online asset declarations with risk-based verification | Cross-checking declarations with public registers
    D: We moved declarations online and verify a risk-based sample each year, cross-checking with land, vehicle and company registers.
    D: We signed data-sharing agreements with {n} registers, so verification that used to take months now takes days.
    R: Verification found unexplained wealth in several cases, which were referred for investigation, and late filing almost stopped.
    R: Compliance with filing rose above {pct_high}%, and the public can now see summary declarations of the most senior officials.
    """,
    ),
    _t(
        "collector-rotation",
        "anti-corruption",
        "revenue_authority local_government service_agency",
        """
    C: Collectors who become too close to those they collect from | Leakage at cash collection points
    S: Some of our collectors have worked the same markets and checkpoints for years, and collections there are consistently below what we expect.
    S: We suspect collusion between some collectors and payers, but we have no system to detect it and staff resist being moved.
    A: We want to learn how peers introduced staff rotation and other controls at collection points without losing experienced people.
    A: We would like to hear which controls others used, such as surprise checks, daily reconciliation or body cameras, and what worked.
    E: Rotating collectors across revenue streams | Daily reconciliation and surprise checks
    D: We started rotating collectors between revenue streams every {weeks} weeks, announced only a day in advance, and compared daily collection reports before and after.
    D: We introduced daily reconciliation for each collection point and surprise checks by a small team reporting directly to the director.
    R: Daily and weekly collections rose immediately at several points, which showed how much had been leaking.
    R: Collections at the weakest points improved by about {pct}%, and two cases of collusion were referred for discipline.
    """,
    ),
    _t(
        "whistleblowing",
        "anti-corruption",
        "",
        """
    C: A whistleblowing channel staff trust | Protecting people who report wrongdoing
    S: Staff tell us informally about irregularities, but nobody uses the official reporting channel for fear of retaliation.
    S: Our whistleblowing policy exists on paper only; the few reports we received were handled by the very managers concerned.
    A: We want to learn how peers set up confidential reporting and protected those who used it.
    A: We would value examples of how others investigated anonymous reports fairly.
    E: A confidential reporting line with independent follow-up | Whistleblower protection in practice
    D: We opened a confidential reporting line run outside the management chain, promising to acknowledge every report within {days_short} days.
    D: We adopted a protection policy that puts the burden of proof on the employer when a whistleblower is disciplined, and trained managers on it.
    R: Reports rose from a handful to about {n_reports} a year, and most led to corrective action.
    R: Staff surveys show more confidence in reporting, and no whistleblower has lost their job since the policy came in.
    """,
    ),
    _t(
        "audit-follow-up",
        "anti-corruption",
        "audit anti_corruption parliament",
        """
    C: Audit recommendations that are never implemented | Risk-based audit planning
    S: Audit reports repeat the same findings every year because recommendations are not implemented and nobody follows up.
    S: Every entity is audited every year with the same approach, which leaves little time for the highest risks.
    A: We want to learn how peers track the implementation of audit recommendations together with parliament and the executive.
    A: We would like to compare risk-based audit planning methods with other audit institutions.
    E: Tracking the implementation of audit recommendations | Risk-based audit planning
    D: We built a public tracker of audit recommendations and present it to the public accounts committee every quarter, with the accounting officers present.
    D: We moved to a risk-based audit plan, auditing high-risk entities every year and the others on a cycle, and shifted about {pct}% of our time to performance audits.
    R: The share of recommendations implemented rose from about a quarter to more than half within two years.
    R: We found significant irregularities the old approach had missed, and entities started managing their own risks.
    """,
    ),
    # --- Centre of government and coordination -----------------------------------------
    _t(
        "delivery-unit",
        "centre-of-government",
        "cabinet finance_ministry civil_service",
        """
    C: Setting up a delivery and monitoring unit | Monitoring the government's priorities
    S: The government has too many priorities and no way of telling which are on track; progress reports arrive late and describe activities rather than results.
    S: We have been asked to set up a monitoring unit in the head of government's office, and we do not want it to become another reporting burden on ministries.
    A: We want to learn how peers set up a small delivery unit, chose a few priorities and built routines with the ministries concerned.
    A: We are looking for practitioners who ran stocktake meetings with the head of government and can share what made them useful.
    E: A small delivery unit with regular stocktakes | Routines for monitoring government priorities
    D: We set up a unit of {n} staff that tracks a small number of priorities, with trajectories agreed with each ministry and regular stocktakes chaired by the head of government.
    D: We replaced long progress reports with a one-page dashboard per priority, updated monthly from the ministries' own data.
    R: Ministries now resolve blockages between stocktakes rather than waiting for them, and several priorities got back on track within a year.
    R: Reporting time for ministries fell, while the quality of information reaching the cabinet improved.
    """,
    ),
    _t(
        "coordination",
        "centre-of-government",
        "cabinet",
        """
    C: Poor coordination between ministries | Cabinet papers that arrive without consultation
    S: Policies reach the cabinet without consultation with other ministries, and decisions are often reopened because of conflicts nobody saw.
    S: Coordination across government depends on personal relationships, and every change of minister resets it.
    A: We want to learn how peers organised inter-ministerial consultation before cabinet and kept the process light.
    A: We would value examples of cabinet paper templates and coordination committees that work.
    E: A cabinet paper process with early consultation | Inter-ministerial committees that decide
    D: We introduced a standard cabinet paper template with mandatory comments from finance and legal affairs, and a weekly meeting of senior officials before cabinet.
    D: We reorganised inter-ministerial committees around {n} priority areas, each with a clear mandate, a secretariat and recorded decisions.
    R: Fewer decisions are reopened after cabinet, and ministries raise conflicts earlier.
    R: Committees now meet with a purpose and settle most issues at official level.
    """,
    ),
    _t(
        "plan-budget-link",
        "centre-of-government",
        "cabinet finance_ministry",
        """
    C: A national plan disconnected from the budget | Linking strategic plans and budgets
    S: The development plan and the annual budget are prepared by different institutions on different calendars, and the plan's priorities are underfunded.
    S: Each ministry has a strategic plan, but the plans are not costed and are rarely used when budgets are negotiated.
    A: We want to learn how peers linked planning and budgeting in practice, with shared classifications and a joint calendar.
    A: We would like to hear how others costed their strategic plans with limited data.
    E: One calendar for planning and budgeting | Costing strategic plans
    D: We agreed a joint calendar and a shared programme classification with the finance ministry, so that every budget programme maps to a plan objective.
    D: We costed the plan's priorities with simple unit-cost models and used them in budget hearings.
    R: The share of the budget going to plan priorities rose steadily, and ministries now defend their budgets with reference to the plan.
    R: Budget hearings became shorter and more focused, because costs and priorities were agreed in advance.
    """,
    ),
    # --- Digital government and automation ---------------------------------------------
    _t(
        "integrated-revenue-system",
        "digital-government",
        "local_government revenue_authority",
        """
    C: Stand-alone revenue systems that do not talk to each other | Automating revenue from collection to reporting
    S: We run {n} stand-alone systems for different revenue streams, none connected to the financial management system, so every report is compiled by hand.
    S: Our revenue automation was bought piece by piece from different vendors, and we depend on them for every change.
    A: We want to learn how peers moved to an integrated revenue management system and what they did about dependence on a vendor.
    A: We would like to see how others automated collection, recording, accounting and reporting in one flow.
    E: An integrated revenue management system | Automating revenue from collection to reporting
    D: We replaced several stand-alone systems with one integrated revenue management system that we own, linked to the bank and to the financial management system.
    D: We negotiated source-code escrow and ownership of our data with the vendor and trained an in-house team to maintain the system.
    R: Daily revenue reports are now produced automatically, and reconciliation that used to take weeks takes a day.
    R: Own-source revenue rose by {pct}% after automation, mainly because leakage became visible.
    """,
    ),
    _t(
        "interoperability",
        "digital-government",
        "service_agency cabinet civil_service statistics finance_ministry procurement",
        """
    C: Citizens asked for the same documents again and again | Sharing data between agencies
    S: Every agency keeps its own database, so citizens must bring paper copies of documents the state already holds.
    S: We want to offer services online, but we cannot verify identity or check records held by other agencies.
    A: We want to learn how peers built data exchange between agencies on a sound legal basis, with personal data protected.
    A: We are looking for practical experience with a national data exchange layer and the agreements behind it.
    E: A data exchange layer between agencies | The once-only principle in practice
    D: We connected {n} agencies through a secure data exchange layer, so that a service can check a record at its source with the citizen's consent.
    D: We wrote the once-only principle into law and dropped the requirement to bring certificates that another agency already holds.
    R: Dozens of documents are no longer demanded from citizens, and processing times for the main services fell by about {pct}%.
    R: Agencies now build new services on the exchange layer instead of their own links.
    """,
    ),
    _t(
        "digital-uptake",
        "digital-government",
        "service_agency local_government revenue_authority justice",
        """
    C: Low uptake of online services | Online services citizens do not trust
    S: We put {n} services online, but fewer than {pct_small}% of applications arrive that way; most citizens still queue at our offices.
    S: Our online portal works, but citizens distrust online payments and prefer to pay in person, where they get a stamped receipt.
    A: We want to learn how peers raised the uptake of online services, especially among older and rural users.
    A: We would value examples of user research and redesign of online services on a limited budget.
    E: Redesigning online services with their users | Raising the uptake of online services
    D: We tested our online forms with users in {n} towns, cut the number of fields by half and added payment by mobile money with an instant receipt.
    D: We ran a campaign on local radio and trained front-desk staff to show citizens the online option while they waited.
    R: The share of applications made online rose from under {pct_small}% to about {pct}% in a year.
    R: Queues at our offices shortened visibly, and satisfaction with the online service is now higher than at the counters.
    """,
    ),
    # --- Statistics and data -----------------------------------------------------------
    _t(
        "administrative-data",
        "statistics-data",
        "statistics cabinet",
        """
    C: Administrative data we cannot use for statistics | Improving the quality of administrative data
    S: Ministries collect a lot of administrative data, but definitions differ and much of it cannot be used to report on national indicators.
    S: We are asked to report on SDG indicators for which no survey exists, and the administrative sources are incomplete.
    A: We want to learn how peers agreed data standards with ministries and built quality checks into administrative systems.
    A: We would value examples of administrative data used to fill gaps in indicators.
    E: Data quality agreements with ministries | Administrative data for national indicators
    D: We signed data quality agreements with {n} ministries, with common definitions and a quarterly transfer of anonymised records.
    D: We built a simple quality assessment for each administrative source and publish the results with the statistics.
    R: We now report {n} more national indicators from administrative data, and ministries correct errors before sending data.
    R: Users trust the figures more because the quality assessments are public.
    """,
    ),
    _t(
        "open-data",
        "statistics-data",
        "statistics cabinet ngo think_tank",
        """
    C: An open data portal nobody uses | Publishing government data as open data
    S: We launched an open data portal, but most datasets are old PDF files and very few people download them.
    S: Ministries are reluctant to release data, fearing misinterpretation or criticism.
    A: We want to learn how peers built demand for open data and kept datasets up to date.
    A: We would like to hear how others persuaded ministries to publish data regularly.
    E: Open data driven by what users need | A release calendar for data across ministries
    D: We asked journalists, researchers and businesses which datasets they needed and published those first, in machine-readable formats.
    D: We agreed a release calendar with ministries and a named data steward in each, with a quarterly review of what was published.
    R: Downloads grew tenfold in a year, and several applications now use the data.
    R: Most datasets are now updated on schedule, and ministries have started using each other's data.
    """,
    ),
    _t(
        "sdg16-statistics",
        "statistics-data",
        "statistics ngo anti_corruption",
        """
    C: Measuring SDG 16 indicators | Governance statistics for SDG 16
    S: We have to report on SDG 16 targets such as bribery and satisfaction with public services, but they have never been measured here.
    S: Governance indicators for our country come mostly from international indices, which officials dismiss as biased.
    A: We want to learn how peers added governance modules to existing household surveys and published the results.
    A: We would value contact with statistical offices that measure bribery or trust in institutions.
    E: A governance module in the household survey | Official statistics on bribery and satisfaction
    D: A short governance module was added to the household survey, covering bribery, satisfaction with services and discrimination.
    D: We worked with civil society to review the questions and published the results with a plain-language summary.
    R: The country now reports several SDG 16 indicators from its own data, and the results feed the anti-corruption strategy.
    R: Officials accept the figures because they come from the national statistical system.
    """,
    ),
    # --- Justice and rule of law -------------------------------------------------------
    _t(
        "case-backlog",
        "justice-rule-of-law",
        "justice",
        """
    C: A backlog of court cases | Case management for faster justice
    S: There is a backlog of about {n_big} cases, some pending for more than five years, and files are still tracked on paper.
    S: Hearings are often adjourned because files are missing or parties were not notified.
    A: We want to learn how peers reduced backlogs with case management and electronic filing.
    A: We would like to see how others measure court performance and discuss it with judges.
    E: Electronic case management and filing | Reducing the backlog with time standards
    D: We introduced electronic filing and a case management system in {n} pilot courts, with SMS notices to the parties.
    D: We set time standards for each type of case and review court performance monthly with the judges concerned.
    R: The backlog in the pilot courts fell by about {pct}% in two years, and adjournments for missing files almost stopped.
    R: Cases older than three years were halved, and court users report shorter waits.
    """,
    ),
    _t(
        "legal-aid",
        "justice-rule-of-law",
        "justice ngo anti_corruption",
        """
    C: Legal aid for people who cannot pay | Access to justice in rural areas
    S: Most people who come before the courts have no lawyer, and legal aid exists mainly in the capital.
    S: Paralegals work in several districts, but there is no system to recognise, train or fund them.
    A: We want to learn how peers organised legal aid with paralegals and partnerships with civil society.
    A: We are interested in how others funded legal aid sustainably.
    E: A national paralegal network | Legal aid through partnerships with civil society
    D: We accredited and trained paralegals in {n} districts, each linked to a legal aid lawyer who supervises them.
    D: We fund civil society legal aid providers through performance-based agreements with clear service standards.
    R: Thousands of people received legal advice for the first time, and pre-trial detention fell in the districts covered.
    R: Legal aid now reaches rural areas at a cost far below that of court-appointed counsel.
    """,
    ),
    _t(
        "civil-registration",
        "justice-rule-of-law",
        "justice service_agency local_government",
        """
    C: Low birth registration | Civil registration that misses the poorest
    S: Only about {pct_reg}% of births are registered within the legal deadline, mostly because registration offices are far from where people live.
    S: Civil registration and the national ID system are not linked, so people carry conflicting records.
    A: We want to learn how peers raised birth registration by working with health facilities and local offices.
    A: We would like to hear how others linked civil registration to the identity system.
    E: Birth registration at health facilities | Linking civil registration and national ID
    D: We placed registration clerks in maternity wards and allowed registration through community health workers with a mobile application.
    D: We linked the civil register to the national ID system so that each newborn receives a unique number at registration.
    R: Timely birth registration rose to about {pct_high}% within three years.
    R: Duplicate and conflicting records fell sharply, and other agencies now rely on the register.
    """,
    ),
    # --- Gender and inclusion ----------------------------------------------------------
    _t(
        "women-leadership",
        "gender-inclusion",
        "",
        """
    C: Few women in senior positions | Gender balance in leadership
    S: Women make up nearly half of our staff but only about {pct_women}% of directors, and the gap has not narrowed in a decade.
    S: Women in our organisation tell us that promotion panels, working hours and travel requirements work against them.
    A: We want to learn how peers raised the share of women in leadership with measures that were accepted as fair.
    A: We would value examples of mentoring, flexible work and panel rules that made a difference.
    E: Mentoring and fair panels for women leaders | Flexible working in senior roles
    D: We introduced mixed promotion panels and a mentoring programme for women managers, and publish annual data on gender in each grade.
    D: We allowed flexible working and job sharing in senior roles and changed travel rules that excluded staff with caring duties.
    R: The share of women directors rose from about {pct_women}% to over a third in five years.
    R: Staff surveys show that women now see a path to leadership, and fewer women managers leave.
    """,
    ),
    _t(
        "gender-budgeting",
        "gender-inclusion",
        "finance_ministry parliament local_government ngo statistics think_tank",
        """
    C: Gender-responsive budgeting | Knowing who benefits from public spending
    S: The government has committed to gender-responsive budgeting, but ministries do not know how to apply it and the gender statement is written at the last minute.
    S: We cannot tell how public spending benefits women and men differently, because programmes do not collect sex-disaggregated data.
    A: We want to learn how peers made gender budgeting part of the normal budget process.
    A: We would like to see the tools and checklists others use with ministries.
    E: Gender analysis in the budget call circular | Sex-disaggregated indicators for programmes
    D: We added a short gender analysis to the budget call circular and review it in budget hearings, supported by a checklist and training.
    D: Each programme now reports {n} indicators by sex, and a gender budget statement is published with the budget.
    R: Gender analysis is now part of every budget submission, and parliament discusses the statement alongside the budget.
    R: Several programmes were redesigned after the data showed that women benefited far less than intended.
    """,
    ),
    _t(
        "harassment-policy",
        "gender-inclusion",
        "",
        """
    C: Dealing with sexual harassment at work | A workplace harassment policy that works
    S: We have no clear policy on sexual harassment, and the few complaints made were handled informally by the managers involved.
    S: Staff do not report harassment because they do not trust the process and fear retaliation.
    A: We want to learn how peers set up a harassment policy, confidential reporting and fair investigation.
    A: We would value examples of training that changed behaviour rather than ticking a box.
    E: A harassment policy with confidential reporting | Investigating harassment complaints fairly
    D: We adopted a harassment policy with a confidential reporting channel, trained investigators and clear sanctions, and briefed all staff on it.
    D: We set up a small panel of trained investigators from different units, with a deadline of {days} days for each case.
    R: Reports rose in the first year, which we read as growing trust, and sanctions were applied in several cases.
    R: Staff surveys show that most employees now know how to report and believe they will be protected.
    """,
    ),
    # --- Extractive industries governance ------------------------------------------------
    _t(
        "mining-cadastre",
        "extractives",
        "mining ngo think_tank",
        """
    C: A mining cadastre that is not transparent | Licensing decisions behind closed doors
    S: Mining licences are recorded on paper maps and files, and overlapping licences lead to disputes and suspicions of favouritism.
    S: Communities and investors cannot see who holds which licence, so rumours fill the gap.
    A: We want to learn how peers built an online mining cadastre and made licensing decisions transparent.
    A: We would like to see the rules others use to publish licence data and contracts.
    E: An online mining cadastre | Publishing licences and contracts
    D: We digitised {n_big} licence files into an online cadastre with a public map and first-come, first-served applications.
    D: We published all mining contracts and licence decisions online, with the reasons for every refusal.
    R: Overlapping licences were resolved, and applications are processed in weeks instead of months.
    R: Disputes over licences fell, and investors cite the cadastre as a reason to apply.
    """,
    ),
    _t(
        "revenue-sharing-communities",
        "extractives",
        "mining local_government think_tank ngo",
        """
    C: Mining revenue that never reaches host communities | Sharing extractive revenue with local governments
    S: The law promises host communities a share of mining royalties, but transfers are irregular and nobody knows how they are spent.
    S: Large mines operate in the area, yet residents see little benefit and tension with the companies is growing.
    A: We want to learn how peers managed revenue-sharing funds transparently and involved communities in spending decisions.
    A: We would value examples of community development agreements that worked.
    E: A transparent community development fund | Tracking royalty transfers to host communities
    D: A community development fund was set up with elected community representatives on its board, and every transfer and project is published.
    D: We track royalty transfers from the national level to each host area and publish a simple quarterly statement.
    R: Communities now see where the money goes, and conflicts around the mines have eased.
    R: Transfers became regular once they were published, and local projects are now chosen with residents.
    """,
    ),
    _t(
        "beneficial-ownership",
        "extractives",
        "mining ngo finance_ministry revenue_authority think_tank",
        """
    C: Disclosing the beneficial owners of extractive companies | Reconciling company payments and government receipts
    S: We do not know who ultimately owns many of the companies holding licences, which leaves room for conflicts of interest.
    S: Company payments and government receipts from the extractive sector do not match, and the differences are never explained.
    A: We want to learn how peers built a beneficial ownership register and verified what it contains.
    A: We would like to hear how others moved from one-off EITI reports to routine disclosure from government systems.
    E: A public beneficial ownership register | Routine disclosure of extractive revenues
    D: Every licence applicant must now declare its beneficial owners in a public register, and declarations are checked against company and tax records.
    D: Payments by each company are published every quarter directly from the revenue authority's systems, instead of waiting for an annual reconciliation.
    R: Several undisclosed politically exposed owners came to light, and their licences were reviewed.
    R: Discrepancies between company payments and government receipts fell to almost nothing.
    """,
    ),
)

BY_KEY: dict[str, Topic] = {t.key: t for t in TOPICS}

# --- Generic fragments -----------------------------------------------------------------

#: Opening sentences a challenge may start with.
CHALLENGE_OPENERS: tuple[str, ...] = (
    "I lead a small team working on this.",
    "This is one of the priorities in our {year_plan} strategic plan.",
    "We raised this at our last management retreat and agreed to look for peers.",
    "Our new leadership has asked us to solve this within the year.",
    "This came up again in the latest audit report.",
)

#: Sentences that may close a challenge: constraints, context, what would help.
CHALLENGE_CONSTRAINTS: tuple[str, ...] = (
    "Our budget for this is small, so we are looking for approaches that do not depend on expensive consultants.",
    "Whatever we adopt has to work with unreliable internet outside the main towns.",
    "We have a new leadership team that supports the change, so the timing is good.",
    "Elections are due in {year_next}, so we need results we can show within a year.",
    "Staff unions have concerns, and we want to bring them along rather than confront them.",
    "We have tried twice before and failed, mainly because the change was driven by a donor project rather than by us.",
    "A short exchange, or a video call with the team that did it, would already help us a lot.",
    "We work mainly in {lang_name}, so peers who can share materials in {lang_name} would be ideal.",
    "Any approach must fit our legal framework, which leaves us limited powers in this area.",
    "We would rather learn from a peer at a similar stage than from a country that finished this long ago.",
)

#: Sentences that may open an experience.
EXPERIENCE_OPENERS: tuple[str, ...] = (
    "This started as a pilot in {year} and is now our standard practice.",
    "We were in the same position a few years ago.",
    "I led this work for {our_org} between {year} and {year_later}.",
)

#: Sentences that may close an experience: what we offer, what we learned.
EXPERIENCE_OFFERS: tuple[str, ...] = (
    "We are happy to share our documents, including the mistakes we made in the first pilot.",
    "We can host a short visit or set up a video call with the team that did the work.",
    "In hindsight we would involve staff and unions earlier; resistance cost us several months.",
    "It worked because the leadership protected the team during the first difficult year.",
    "The approach needed very little money; the hard part was agreeing who owns the process.",
    "We adapted the idea from a peer institution in another country and are glad to pass it on.",
    "Our materials are in {lang_name}, and we can help translate the key ones.",
    "We learned that the technology mattered less than clear roles and regular follow-up.",
    "It is not finished, and we would welcome peers who can challenge how we did it.",
)

#: Short biographies; {area} is a reform theme in lower case.
BIOS: tuple[str, ...] = (
    "I have worked on {area} for {years} years, first as an analyst and now leading a team.",
    "{years} years in the public service, most of them on {area}.",
    "I joined {our_org} in {year_joined} and work on {area}.",
    "Practitioner in {area}; I learn best from people who have done the work themselves.",
    "Before joining {our_org} I worked in the private sector; my focus now is {area}.",
)
