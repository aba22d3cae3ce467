"""The invented content of the demo's account plans, one story per plan.

Northwind is a distributor of speciality foods; each of the three plans tells
the story of one large client of it, told the same way on every tab: the deal
is the plan's own, the competitors named on the Decision tab are those of the
Competitors tab, the people with whom we have a strong relationship are those
met in a meeting with minutes. Every invented text carries "(demo)" once, at
its end; names of invented people carry it too. The client's real contact from
the sample keeps its own name.

Every invented text but the names is marked with :func:`~kam.i18n.N_` and
translated where it is written into the book (:mod:`~kam.services.demo.stories`),
so a demo built in another language reads in that language.

The stories are given in the order of the plans (the largest client first);
a text may name the client (``{client}``) or its real contact (``{contact}``).
"""

from __future__ import annotations

from dataclasses import dataclass

from kam.domain.competitors import BidOutcome
from kam.domain.deal import DeliverableKind, DeliverableStatus
from kam.domain.risks import RiskCover, RiskStatus
from kam.i18n import N_


@dataclass(frozen=True)
class DemoDeliverable:
    """A deliverable of the deal: due ``due_in`` days from today (negative: in the past)."""

    kind: DeliverableKind
    title: str
    due_in: int
    status: DeliverableStatus
    note: str = ""


@dataclass(frozen=True)
class DemoRisk:
    """A risk of the deal; ``impact`` in cents."""

    title: str
    probability: float
    impact: int
    delay_days: int
    mitigation: str
    cover: RiskCover
    status: RiskStatus = RiskStatus.OPEN


@dataclass(frozen=True)
class DemoCompetitor:
    """A competitor for the deal: its scores on the plan's criteria and what we learnt of it."""

    name: str
    scores: tuple[int, int, int, int]
    outcome: BidOutcome
    team: str
    tactics: str
    strengths: str
    weaknesses: str
    lessons: str
    meetings: str = ""


@dataclass(frozen=True)
class DemoPerson:
    """An invented person at the client (the decision maker, a blocker, the buyer)."""

    name: str
    title: str
    wants: str
    facts: str
    emotions: str


@dataclass(frozen=True)
class DemoStory:
    """One plan's story: its objective, deal, people, criteria, competitors and meetings."""

    objective: str
    deal: str
    deal_note: str
    value: int  # cents
    close_in: int  # days
    deliverables: tuple[DemoDeliverable, ...]
    risks: tuple[DemoRisk, ...]
    boss: DemoPerson
    finance: DemoPerson
    buyer: DemoPerson
    contact_wants: str
    criteria: tuple[tuple[str, int, int, str], ...]  # name, weight, our score, how to influence
    competitors: tuple[DemoCompetitor, DemoCompetitor]
    first_meeting: tuple[str, str, str, str]  # objective, agenda, minutes, next step
    executive_meeting: tuple[str, str]  # objective, agenda
    stages: tuple[tuple[str, str, str], ...]  # name, objective, exit criteria
    notes: str


STORIES: tuple[DemoStory, ...] = (
    DemoStory(
        objective=N_(
            "Keep {client} as a key account and win its private-label seafood range for next "
            "year (demo)"
        ),
        deal=N_("Private-label seafood and condiments range (demo)"),
        deal_note=N_(
            "Twelve lines under the client's own brand, delivered to its central warehouse (demo)"
        ),
        value=18_000_000,
        close_in=75,
        deliverables=(
            DemoDeliverable(
                DeliverableKind.MEASUREMENTS,
                N_("Shelf space and cold-store capacity per store measured (demo)"),
                -25,
                DeliverableStatus.DONE,
                N_("Confirmed in writing by {contact} (demo)"),
            ),
            DemoDeliverable(
                DeliverableKind.APPROVAL,
                N_("Labels approved by the client's quality department (demo)"),
                10,
                DeliverableStatus.IN_PROGRESS,
                N_("Two of twelve labels sent back for the allergen wording (demo)"),
            ),
            DemoDeliverable(
                DeliverableKind.GUARANTEE,
                N_("Supply guarantee from our seafood packer in Gothenburg (demo)"),
                20,
                DeliverableStatus.TODO,
            ),
            DemoDeliverable(
                DeliverableKind.TRAINING_PLAN,
                N_("Tasting and shelf training for the store managers (demo)"),
                60,
                DeliverableStatus.TODO,
            ),
        ),
        risks=(
            DemoRisk(
                N_("The packer cannot supply the volume in the herring season (demo)"),
                0.25,
                2_500_000,
                30,
                N_("A second packer qualified as a stand-by (demo)"),
                RiskCover.NONE,
            ),
            DemoRisk(
                N_("A recall of a private-label line (demo)"),
                0.05,
                6_000_000,
                45,
                N_("Batch tracing to the store; product liability insurance (demo)"),
                RiskCover.INSURANCE,
            ),
            DemoRisk(
                N_("Labels rejected again by the quality department (demo)"),
                0.3,
                400_000,
                20,
                N_("Their wording agreed in a call before printing (demo)"),
                RiskCover.NONE,
                RiskStatus.MITIGATED,
            ),
        ),
        boss=DemoPerson(
            "Dana Weber (demo)",
            N_("Vice President, Merchandising (demo)"),
            N_("A private label that sells above the national brands (demo)"),
            N_("Margin per shelf metre, by store (demo)"),
            N_("Wants the range to carry her name inside the firm (demo)"),
        ),
        finance=DemoPerson(
            "Chris Meyer (demo)",
            N_("Head of Finance (demo)"),
            N_("Payment at 60 days (demo)"),
            N_("Total cost over three years, not unit prices (demo)"),
            N_("Burnt by a supplier that went bankrupt (demo)"),
        ),
        buyer=DemoPerson(
            "Alex Nowak (demo)",
            N_("Category Buyer, Fish and Delicatessen (demo)"),
            N_("Fewer suppliers for the whole category (demo)"),
            N_("Fill rates and lead times per line (demo)"),
            N_("Values being consulted early (demo)"),
        ),
        contact_wants=N_("Fewer urgent reorders of seafood (demo)"),
        criteria=(
            (N_("Price per unit (demo)"), 35, 3, ""),
            (
                N_("Supply in the high season (demo)"),
                30,
                4,
                N_("Show last winter's fill rate to make reliability weigh more (demo)"),
            ),
            (N_("Quality of the labels and packaging (demo)"), 20, 4, ""),
            (
                N_("Payment terms (demo)"),
                15,
                2,
                N_("Offer 45 days for a yearly volume commitment (demo)"),
            ),
        ),
        competitors=(
            DemoCompetitor(
                "Pacific Coast Provisions (demo)",
                (4, 3, 3, 4),
                BidOutcome.ONGOING,
                N_("Their key account manager and the packer's owner (demo)"),
                N_("A low price for the first year, raised at renewal (demo)"),
                N_("Their own fishing fleet (demo)"),
                N_("No condiments; labels printed abroad (demo)"),
                N_("Show the cost over three years with the condiments included (demo)"),
                N_("Met the vice president alone at the seafood fair (demo)"),
            ),
            DemoCompetitor(
                "Great Plains Grocers Supply (demo)",
                (3, 2, 3, 3),
                BidOutcome.NO_BID,
                N_("A regional sales representative (demo)"),
                N_("Asked for the tender, then did not bid (demo)"),
                N_("Known to the category buyer (demo)"),
                N_("Cannot deliver frozen goods to the central warehouse (demo)"),
                N_("Cold-chain delivery kept them out (demo)"),
            ),
        ),
        first_meeting=(
            N_("Learn the category's problems and bottlenecks (demo)"),
            N_("Their seafood sales; their stock-outs; their complaints (demo)"),
            N_("Stock-outs in the herring season and short shelf life are their complaints (demo)"),
            N_("Send the private-label proposal (demo)"),
        ),
        executive_meeting=(
            N_("Present the private-label range to the vice president (demo)"),
            N_("The tasting results; our supply guarantee; the price for three years (demo)"),
        ),
        stages=(
            (
                N_("Understand the category (demo)"),
                N_("Know the bottlenecks of their seafood category (demo)"),
                N_("The buyer confirms our list of their problems (demo)"),
            ),
            (
                N_("Tasting and labels (demo)"),
                N_("Win the tasting and get the labels approved (demo)"),
                N_("All twelve labels approved (demo)"),
            ),
            (
                N_("Range agreement (demo)"),
                N_("Sign the private-label range for next year (demo)"),
                N_("A signed range agreement (demo)"),
            ),
        ),
        notes=N_(
            "Payment terms weigh on us: propose 45 days for a yearly volume; present to the vice "
            "president before the decision (demo)"
        ),
    ),
    DemoStory(
        objective=N_("Become {client}'s first supplier of dairy and cheese in its shops (demo)"),
        deal=N_("Dairy and cheese supply for all shops (demo)"),
        deal_note=N_(
            "Weekly deliveries of cheese and dairy to every shop, with a chilled van (demo)"
        ),
        value=9_500_000,
        close_in=45,
        deliverables=(
            DemoDeliverable(
                DeliverableKind.MEASUREMENTS,
                N_("Chilled shelf space measured in every shop (demo)"),
                -15,
                DeliverableStatus.DONE,
                N_("Measured with {contact} (demo)"),
            ),
            DemoDeliverable(
                DeliverableKind.APPROVAL,
                N_("Food safety audit of our chilled van (demo)"),
                -3,
                DeliverableStatus.IN_PROGRESS,
                N_("The auditor asked for the temperature log of March (demo)"),
            ),
            DemoDeliverable(
                DeliverableKind.LETTER_OF_INTENT,
                N_("Letter of intent for the first delivery date (demo)"),
                14,
                DeliverableStatus.TODO,
            ),
        ),
        risks=(
            DemoRisk(
                N_("The chilled van fails the food safety audit (demo)"),
                0.15,
                900_000,
                21,
                N_("A hired chilled van on stand-by (demo)"),
                RiskCover.SERVICE,
            ),
            DemoRisk(
                N_("Cheese prices rise before the contract is signed (demo)"),
                0.4,
                600_000,
                0,
                N_("Prices fixed with our two cheese makers until year end (demo)"),
                RiskCover.NONE,
            ),
        ),
        boss=DemoPerson(
            "Jürgen Haas (demo)",
            N_("Owner (demo)"),
            N_("Fresh products that bring customers in every day (demo)"),
            N_("Sales per shop and per week (demo)"),
            N_("Proud of running the shops his father opened (demo)"),
        ),
        finance=DemoPerson(
            "Petra Lang (demo)",
            N_("Bookkeeper (demo)"),
            N_("One invoice a week, not one a delivery (demo)"),
            N_("Write-offs of products past their date (demo)"),
            N_("Distrusts suppliers who change prices often (demo)"),
        ),
        buyer=DemoPerson(
            "Tobias Klein (demo)",
            N_("Purchasing and Logistics (demo)"),
            N_("Deliveries before the shops open (demo)"),
            N_("Delivery times and short deliveries (demo)"),
            N_("Prefers calls before 8 am (demo)"),
        ),
        contact_wants=N_("Fewer products thrown away after their date (demo)"),
        criteria=(
            (N_("Freshness on arrival (demo)"), 40, 4, ""),
            (N_("Price (demo)"), 30, 3, ""),
            (
                N_("Delivery before opening (demo)"),
                20,
                5,
                N_("Offer a fixed delivery slot at 6 am (demo)"),
            ),
            (N_("Weekly invoicing (demo)"), 10, 4, ""),
        ),
        competitors=(
            DemoCompetitor(
                "Hanseatic Foods (demo)",
                (4, 4, 2, 3),
                BidOutcome.ONGOING,
                N_("Their sales director and a logistics planner (demo)"),
                N_("A discount on the first three months (demo)"),
                N_("A large cheese range (demo)"),
                N_("Deliveries from Hamburg, after the shops open (demo)"),
                N_("Our early delivery slot is what they cannot match (demo)"),
                N_("Brought samples to every shop manager (demo)"),
            ),
            DemoCompetitor(
                "Alpine Provisions (demo)",
                (3, 3, 3, 2),
                BidOutcome.LOST,
                N_("A local agent only (demo)"),
                N_("Sold on the origin of their mountain cheese (demo)"),
                N_("Known for their cheese (demo)"),
                N_("No dairy; invoices a delivery (demo)"),
                N_("They lost the trial on their invoicing, not on quality (demo)"),
            ),
        ),
        first_meeting=(
            N_("Learn how the shops order and receive fresh products (demo)"),
            N_("Their orders; their deliveries; their write-offs (demo)"),
            N_("Late deliveries and write-offs are their main complaints (demo)"),
            N_("Propose trial deliveries to two shops (demo)"),
        ),
        executive_meeting=(
            N_("Present the trial's results to the owner (demo)"),
            N_("Freshness and delivery times of the trial; our offer for the year (demo)"),
        ),
        stages=(
            (
                N_("Understand the shops (demo)"),
                N_("Know how the shops order and receive (demo)"),
                N_("The owner confirms our list of their problems (demo)"),
            ),
            (
                N_("Trial deliveries (demo)"),
                N_("Deliver on time to two shops for a month (demo)"),
                N_("No late delivery in the trial (demo)"),
            ),
            (
                N_("Supply agreement (demo)"),
                N_("Become the first supplier of dairy and cheese (demo)"),
                N_("A signed supply agreement (demo)"),
            ),
        ),
        notes=N_(
            "The owner decides alone: meet him with the trial's figures before Hanseatic's "
            "offer runs out (demo)"
        ),
    ),
    DemoStory(
        objective=N_(
            "Win {client}'s night-time deliveries and keep consignment stock there (demo)"
        ),
        deal=N_("Night-time delivery framework with consignment stock (demo)"),
        deal_note=N_("Deliveries between midnight and 5 am; our stock in their back room (demo)"),
        value=6_000_000,
        close_in=100,
        deliverables=(
            DemoDeliverable(
                DeliverableKind.MEASUREMENTS,
                N_("Back room measured for the consignment stock (demo)"),
                -40,
                DeliverableStatus.DONE,
                N_("Confirmed by {contact} (demo)"),
            ),
            DemoDeliverable(
                DeliverableKind.APPROVAL,
                N_("Night deliveries allowed by the city council (demo)"),
                30,
                DeliverableStatus.BLOCKED,
                N_("Waits for the residents' consultation (demo)"),
            ),
            DemoDeliverable(
                DeliverableKind.GUARANTEE,
                N_("Insurance of the consignment stock (demo)"),
                35,
                DeliverableStatus.TODO,
            ),
            DemoDeliverable(
                DeliverableKind.TRAINING_PLAN,
                N_("Night staff trained on the consignment stock count (demo)"),
                80,
                DeliverableStatus.TODO,
            ),
        ),
        risks=(
            DemoRisk(
                N_("The council refuses night deliveries (demo)"),
                0.35,
                1_200_000,
                90,
                N_("Early-morning deliveries as a fall-back (demo)"),
                RiskCover.NONE,
            ),
            DemoRisk(
                N_("Stock lost or damaged in their back room (demo)"),
                0.1,
                500_000,
                0,
                N_("Monthly count; the stock insured (demo)"),
                RiskCover.INSURANCE,
            ),
        ),
        boss=DemoPerson(
            "Siobhan Walsh (demo)",
            N_("General Manager (demo)"),
            N_("Full shelves when the night customers come (demo)"),
            N_("Sales between 10 pm and 6 am (demo)"),
            N_("Wants to open a second shop next year (demo)"),
        ),
        finance=DemoPerson(
            "Declan Byrne (demo)",
            N_("Finance Controller (demo)"),
            N_("Paying only for what is sold (demo)"),
            N_("Stock tied up in the back room (demo)"),
            N_("Cautious after a bad year (demo)"),
        ),
        buyer=DemoPerson(
            "Aoife Kelly (demo)",
            N_("Night Shift Supervisor (demo)"),
            N_("No deliveries when the shop is busy (demo)"),
            N_("Delivery windows and missing items (demo)"),
            N_("Likes to be asked before changes (demo)"),
        ),
        contact_wants=N_("Fewer empty shelves at night (demo)"),
        criteria=(
            (
                N_("Delivery at night (demo)"),
                35,
                4,
                N_("Ask the council together with the client (demo)"),
            ),
            (N_("Consignment terms (demo)"), 30, 4, ""),
            (N_("Price (demo)"), 25, 3, ""),
            (N_("Range of products (demo)"), 10, 4, ""),
        ),
        competitors=(
            DemoCompetitor(
                "Emerald Wholesale (demo)",
                (2, 3, 4, 3),
                BidOutcome.ONGOING,
                N_("Their owner and a van driver (demo)"),
                N_("Lower prices, deliveries in the day only (demo)"),
                N_("A depot in Cork (demo)"),
                N_("No night deliveries; no consignment stock (demo)"),
                N_("Night deliveries are the ground to fight on (demo)"),
                N_("Visited the general manager every week (demo)"),
            ),
            DemoCompetitor(
                "Atlantic Fine Foods (demo)",
                (3, 2, 3, 4),
                BidOutcome.ONGOING,
                N_("A key account manager from Dublin (demo)"),
                N_("A wide range of imported delicacies (demo)"),
                N_("The widest range (demo)"),
                N_("Deliveries from Dublin twice a week only (demo)"),
                N_("Our range covers the lines the night customers buy (demo)"),
            ),
        ),
        first_meeting=(
            N_("Learn what the night customers buy and what runs out (demo)"),
            N_("Their night sales; their empty shelves; their deliveries (demo)"),
            N_("Milk, bread and ready meals run out after 2 am (demo)"),
            N_("Propose consignment stock for those lines (demo)"),
        ),
        executive_meeting=(
            N_("Agree the consignment terms with the general manager (demo)"),
            N_("The lines held; the monthly count; payment for what is sold (demo)"),
        ),
        stages=(
            (
                N_("Understand the night trade (demo)"),
                N_("Know what runs out at night (demo)"),
                N_("The supervisor confirms the lines that run out (demo)"),
            ),
            (
                N_("Council approval (demo)"),
                N_("Get night deliveries allowed (demo)"),
                N_("The council's approval (demo)"),
            ),
            (
                N_("Framework agreement (demo)"),
                N_("Sign the night delivery framework (demo)"),
                N_("A signed framework agreement (demo)"),
            ),
        ),
        notes=N_(
            "The council's approval decides the timing: keep Emerald out by offering the "
            "consignment terms now (demo)"
        ),
    ),
)
