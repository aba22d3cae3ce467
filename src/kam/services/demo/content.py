"""The invented content of the demo's account plans, one story per plan.

Northwind is a distributor of speciality foods; each of the three plans tells
the story of one large client of it, told the same way on every tab: the deal
is the plan's own, the competitors named on the Decision tab are those of the
Competitors tab, the people with whom we have a strong relationship are those
met in a meeting with minutes. Every invented text carries "(demo)" once, at
its end; names of invented people carry it too. The client's real contact from
the sample keeps its own name.

The stories are given in the order of the plans (the largest client first);
a text may name the client (``{client}``) or its real contact (``{contact}``).
"""

from __future__ import annotations

from dataclasses import dataclass

from kam.domain.competitors import BidOutcome
from kam.domain.deal import DeliverableKind, DeliverableStatus
from kam.domain.risks import RiskCover, RiskStatus


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
        objective=(
            "Keep {client} as a key account and win its private-label seafood range for next "
            "year (demo)"
        ),
        deal="Private-label seafood and condiments range (demo)",
        deal_note=(
            "Twelve lines under the client's own brand, delivered to its central warehouse (demo)"
        ),
        value=18_000_000,
        close_in=75,
        deliverables=(
            DemoDeliverable(
                DeliverableKind.MEASUREMENTS,
                "Shelf space and cold-store capacity per store measured (demo)",
                -25,
                DeliverableStatus.DONE,
                "Confirmed in writing by {contact} (demo)",
            ),
            DemoDeliverable(
                DeliverableKind.APPROVAL,
                "Labels approved by the client's quality department (demo)",
                10,
                DeliverableStatus.IN_PROGRESS,
                "Two of twelve labels sent back for the allergen wording (demo)",
            ),
            DemoDeliverable(
                DeliverableKind.GUARANTEE,
                "Supply guarantee from our seafood packer in Gothenburg (demo)",
                20,
                DeliverableStatus.TODO,
            ),
            DemoDeliverable(
                DeliverableKind.TRAINING_PLAN,
                "Tasting and shelf training for the store managers (demo)",
                60,
                DeliverableStatus.TODO,
            ),
        ),
        risks=(
            DemoRisk(
                "The packer cannot supply the volume in the herring season (demo)",
                0.25,
                2_500_000,
                30,
                "A second packer qualified as a stand-by (demo)",
                RiskCover.NONE,
            ),
            DemoRisk(
                "A recall of a private-label line (demo)",
                0.05,
                6_000_000,
                45,
                "Batch tracing to the store; product liability insurance (demo)",
                RiskCover.INSURANCE,
            ),
            DemoRisk(
                "Labels rejected again by the quality department (demo)",
                0.3,
                400_000,
                20,
                "Their wording agreed in a call before printing (demo)",
                RiskCover.NONE,
                RiskStatus.MITIGATED,
            ),
        ),
        boss=DemoPerson(
            "Dana Weber (demo)",
            "Vice President, Merchandising (demo)",
            "A private label that sells above the national brands (demo)",
            "Margin per shelf metre, by store (demo)",
            "Wants the range to carry her name inside the firm (demo)",
        ),
        finance=DemoPerson(
            "Chris Meyer (demo)",
            "Head of Finance (demo)",
            "Payment at 60 days (demo)",
            "Total cost over three years, not unit prices (demo)",
            "Burnt by a supplier that went bankrupt (demo)",
        ),
        buyer=DemoPerson(
            "Alex Nowak (demo)",
            "Category Buyer, Fish and Delicatessen (demo)",
            "Fewer suppliers for the whole category (demo)",
            "Fill rates and lead times per line (demo)",
            "Values being consulted early (demo)",
        ),
        contact_wants="Fewer urgent reorders of seafood (demo)",
        criteria=(
            ("Price per unit (demo)", 35, 3, ""),
            (
                "Supply in the high season (demo)",
                30,
                4,
                "Show last winter's fill rate to make reliability weigh more (demo)",
            ),
            ("Quality of the labels and packaging (demo)", 20, 4, ""),
            (
                "Payment terms (demo)",
                15,
                2,
                "Offer 45 days for a yearly volume commitment (demo)",
            ),
        ),
        competitors=(
            DemoCompetitor(
                "Pacific Coast Provisions (demo)",
                (4, 3, 3, 4),
                BidOutcome.ONGOING,
                "Their key account manager and the packer's owner (demo)",
                "A low price for the first year, raised at renewal (demo)",
                "Their own fishing fleet (demo)",
                "No condiments; labels printed abroad (demo)",
                "Show the cost over three years with the condiments included (demo)",
                "Met the vice president alone at the seafood fair (demo)",
            ),
            DemoCompetitor(
                "Great Plains Grocers Supply (demo)",
                (3, 2, 3, 3),
                BidOutcome.NO_BID,
                "A regional sales representative (demo)",
                "Asked for the tender, then did not bid (demo)",
                "Known to the category buyer (demo)",
                "Cannot deliver frozen goods to the central warehouse (demo)",
                "Cold-chain delivery kept them out (demo)",
            ),
        ),
        first_meeting=(
            "Learn the category's problems and bottlenecks (demo)",
            "Their seafood sales; their stock-outs; their complaints (demo)",
            "Stock-outs in the herring season and short shelf life are their complaints (demo)",
            "Send the private-label proposal (demo)",
        ),
        executive_meeting=(
            "Present the private-label range to the vice president (demo)",
            "The tasting results; our supply guarantee; the price for three years (demo)",
        ),
        stages=(
            (
                "Understand the category (demo)",
                "Know the bottlenecks of their seafood category (demo)",
                "The buyer confirms our list of their problems (demo)",
            ),
            (
                "Tasting and labels (demo)",
                "Win the tasting and get the labels approved (demo)",
                "All twelve labels approved (demo)",
            ),
            (
                "Range agreement (demo)",
                "Sign the private-label range for next year (demo)",
                "A signed range agreement (demo)",
            ),
        ),
        notes=(
            "Payment terms weigh on us: propose 45 days for a yearly volume; present to the vice "
            "president before the decision (demo)"
        ),
    ),
    DemoStory(
        objective="Become {client}'s first supplier of dairy and cheese in its shops (demo)",
        deal="Dairy and cheese supply for all shops (demo)",
        deal_note="Weekly deliveries of cheese and dairy to every shop, with a chilled van (demo)",
        value=9_500_000,
        close_in=45,
        deliverables=(
            DemoDeliverable(
                DeliverableKind.MEASUREMENTS,
                "Chilled shelf space measured in every shop (demo)",
                -15,
                DeliverableStatus.DONE,
                "Measured with {contact} (demo)",
            ),
            DemoDeliverable(
                DeliverableKind.APPROVAL,
                "Food safety audit of our chilled van (demo)",
                -3,
                DeliverableStatus.IN_PROGRESS,
                "The auditor asked for the temperature log of March (demo)",
            ),
            DemoDeliverable(
                DeliverableKind.LETTER_OF_INTENT,
                "Letter of intent for the first delivery date (demo)",
                14,
                DeliverableStatus.TODO,
            ),
        ),
        risks=(
            DemoRisk(
                "The chilled van fails the food safety audit (demo)",
                0.15,
                900_000,
                21,
                "A hired chilled van on stand-by (demo)",
                RiskCover.SERVICE,
            ),
            DemoRisk(
                "Cheese prices rise before the contract is signed (demo)",
                0.4,
                600_000,
                0,
                "Prices fixed with our two cheese makers until year end (demo)",
                RiskCover.NONE,
            ),
        ),
        boss=DemoPerson(
            "Jürgen Haas (demo)",
            "Owner (demo)",
            "Fresh products that bring customers in every day (demo)",
            "Sales per shop and per week (demo)",
            "Proud of running the shops his father opened (demo)",
        ),
        finance=DemoPerson(
            "Petra Lang (demo)",
            "Bookkeeper (demo)",
            "One invoice a week, not one a delivery (demo)",
            "Write-offs of products past their date (demo)",
            "Distrusts suppliers who change prices often (demo)",
        ),
        buyer=DemoPerson(
            "Tobias Klein (demo)",
            "Purchasing and Logistics (demo)",
            "Deliveries before the shops open (demo)",
            "Delivery times and short deliveries (demo)",
            "Prefers calls before 8 am (demo)",
        ),
        contact_wants="Fewer products thrown away after their date (demo)",
        criteria=(
            ("Freshness on arrival (demo)", 40, 4, ""),
            ("Price (demo)", 30, 3, ""),
            (
                "Delivery before opening (demo)",
                20,
                5,
                "Offer a fixed delivery slot at 6 am (demo)",
            ),
            ("Weekly invoicing (demo)", 10, 4, ""),
        ),
        competitors=(
            DemoCompetitor(
                "Hanseatic Foods (demo)",
                (4, 4, 2, 3),
                BidOutcome.ONGOING,
                "Their sales director and a logistics planner (demo)",
                "A discount on the first three months (demo)",
                "A large cheese range (demo)",
                "Deliveries from Hamburg, after the shops open (demo)",
                "Our early delivery slot is what they cannot match (demo)",
                "Brought samples to every shop manager (demo)",
            ),
            DemoCompetitor(
                "Alpine Provisions (demo)",
                (3, 3, 3, 2),
                BidOutcome.LOST,
                "A local agent only (demo)",
                "Sold on the origin of their mountain cheese (demo)",
                "Known for their cheese (demo)",
                "No dairy; invoices a delivery (demo)",
                "They lost the trial on their invoicing, not on quality (demo)",
            ),
        ),
        first_meeting=(
            "Learn how the shops order and receive fresh products (demo)",
            "Their orders; their deliveries; their write-offs (demo)",
            "Late deliveries and write-offs are their main complaints (demo)",
            "Propose trial deliveries to two shops (demo)",
        ),
        executive_meeting=(
            "Present the trial's results to the owner (demo)",
            "Freshness and delivery times of the trial; our offer for the year (demo)",
        ),
        stages=(
            (
                "Understand the shops (demo)",
                "Know how the shops order and receive (demo)",
                "The owner confirms our list of their problems (demo)",
            ),
            (
                "Trial deliveries (demo)",
                "Deliver on time to two shops for a month (demo)",
                "No late delivery in the trial (demo)",
            ),
            (
                "Supply agreement (demo)",
                "Become the first supplier of dairy and cheese (demo)",
                "A signed supply agreement (demo)",
            ),
        ),
        notes="The owner decides alone: meet him with the trial's figures before Hanseatic's "
        "offer runs out (demo)",
    ),
    DemoStory(
        objective="Win {client}'s night-time deliveries and keep consignment stock there (demo)",
        deal="Night-time delivery framework with consignment stock (demo)",
        deal_note="Deliveries between midnight and 5 am; our stock in their back room (demo)",
        value=6_000_000,
        close_in=100,
        deliverables=(
            DemoDeliverable(
                DeliverableKind.MEASUREMENTS,
                "Back room measured for the consignment stock (demo)",
                -40,
                DeliverableStatus.DONE,
                "Confirmed by {contact} (demo)",
            ),
            DemoDeliverable(
                DeliverableKind.APPROVAL,
                "Night deliveries allowed by the city council (demo)",
                30,
                DeliverableStatus.BLOCKED,
                "Waits for the residents' consultation (demo)",
            ),
            DemoDeliverable(
                DeliverableKind.GUARANTEE,
                "Insurance of the consignment stock (demo)",
                35,
                DeliverableStatus.TODO,
            ),
            DemoDeliverable(
                DeliverableKind.TRAINING_PLAN,
                "Night staff trained on the consignment stock count (demo)",
                80,
                DeliverableStatus.TODO,
            ),
        ),
        risks=(
            DemoRisk(
                "The council refuses night deliveries (demo)",
                0.35,
                1_200_000,
                90,
                "Early-morning deliveries as a fall-back (demo)",
                RiskCover.NONE,
            ),
            DemoRisk(
                "Stock lost or damaged in their back room (demo)",
                0.1,
                500_000,
                0,
                "Monthly count; the stock insured (demo)",
                RiskCover.INSURANCE,
            ),
        ),
        boss=DemoPerson(
            "Siobhan Walsh (demo)",
            "General Manager (demo)",
            "Full shelves when the night customers come (demo)",
            "Sales between 10 pm and 6 am (demo)",
            "Wants to open a second shop next year (demo)",
        ),
        finance=DemoPerson(
            "Declan Byrne (demo)",
            "Finance Controller (demo)",
            "Paying only for what is sold (demo)",
            "Stock tied up in the back room (demo)",
            "Cautious after a bad year (demo)",
        ),
        buyer=DemoPerson(
            "Aoife Kelly (demo)",
            "Night Shift Supervisor (demo)",
            "No deliveries when the shop is busy (demo)",
            "Delivery windows and missing items (demo)",
            "Likes to be asked before changes (demo)",
        ),
        contact_wants="Fewer empty shelves at night (demo)",
        criteria=(
            ("Delivery at night (demo)", 35, 4, "Ask the council together with the client (demo)"),
            ("Consignment terms (demo)", 30, 4, ""),
            ("Price (demo)", 25, 3, ""),
            ("Range of products (demo)", 10, 4, ""),
        ),
        competitors=(
            DemoCompetitor(
                "Emerald Wholesale (demo)",
                (2, 3, 4, 3),
                BidOutcome.ONGOING,
                "Their owner and a van driver (demo)",
                "Lower prices, deliveries in the day only (demo)",
                "A depot in Cork (demo)",
                "No night deliveries; no consignment stock (demo)",
                "Night deliveries are the ground to fight on (demo)",
                "Visited the general manager every week (demo)",
            ),
            DemoCompetitor(
                "Atlantic Fine Foods (demo)",
                (3, 2, 3, 4),
                BidOutcome.ONGOING,
                "A key account manager from Dublin (demo)",
                "A wide range of imported delicacies (demo)",
                "The widest range (demo)",
                "Deliveries from Dublin twice a week only (demo)",
                "Our range covers the lines the night customers buy (demo)",
            ),
        ),
        first_meeting=(
            "Learn what the night customers buy and what runs out (demo)",
            "Their night sales; their empty shelves; their deliveries (demo)",
            "Milk, bread and ready meals run out after 2 am (demo)",
            "Propose consignment stock for those lines (demo)",
        ),
        executive_meeting=(
            "Agree the consignment terms with the general manager (demo)",
            "The lines held; the monthly count; payment for what is sold (demo)",
        ),
        stages=(
            (
                "Understand the night trade (demo)",
                "Know what runs out at night (demo)",
                "The supervisor confirms the lines that run out (demo)",
            ),
            (
                "Council approval (demo)",
                "Get night deliveries allowed (demo)",
                "The council's approval (demo)",
            ),
            (
                "Framework agreement (demo)",
                "Sign the night delivery framework (demo)",
                "A signed framework agreement (demo)",
            ),
        ),
        notes="The council's approval decides the timing: keep Emerald out by offering the "
        "consignment terms now (demo)",
    ),
)
