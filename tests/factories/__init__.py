"""factory_boy factories for every model of parcours, one module per app.

Every factory writes through the app's services (registry history, append-only records, logged
transitions), never raw rows: what a factory makes is what production could hold. Traits name the
meaningful states (`DemandeFactory(validee=True)`, `IntermediationFactory(forced_recovery=True)`,
`UserFactory(aripa=True, departement="33")`). tests/test_factories.py builds each one and each trait.
"""

from .accounts import AuditEntryFactory, UserFactory
from .demo import DemoLoadFactory
from .households import (
    AddressFactory,
    BankAccountFactory,
    ChildSupportFactory,
    DossierFactory,
    HousingFactory,
    MembershipFactory,
    PersonFactory,
    ResourceFactory,
    SituationChangeFactory,
    UnionFactory,
    allocataire,
    household,
)
from .intermediation import (
    AsfAdvanceFactory,
    BankLineFactory,
    BankStatementFactory,
    CollectionFactory,
    DueAllocationFactory,
    DueFactory,
    ForcedRecoveryFactory,
    IntermediationEventFactory,
    IntermediationFactory,
    IntermediationTransitionFactory,
    LedgerEntryFactory,
    LedgerTransactionFactory,
    PaymentFileFactory,
    PayoutFactory,
    RecoveryTransitionFactory,
    RevaluationFactory,
    UnpaidNoticeFactory,
)
from .notifications import ContactPreferenceFactory, NotificationFactory
from .rights import RecomputeChunkFactory, RecomputeRunFactory, RightsRevisionFactory
from .separation import (
    CallbackRequestFactory,
    CallbackTransitionFactory,
    DemandeFactory,
    DemandeTransitionFactory,
    DocumentFactory,
    InfoTopicFactory,
    InvitationFactory,
    InvitationTransitionFactory,
    MessageFactory,
)
from .social import SignalementFactory
from .titres import (
    TitreChildFactory,
    TitreFactory,
    TitreRequestChildFactory,
    TitreRequestFactory,
    TitreRequestTransitionFactory,
)

__all__ = [
    "AddressFactory",
    "AsfAdvanceFactory",
    "AuditEntryFactory",
    "BankAccountFactory",
    "BankLineFactory",
    "BankStatementFactory",
    "CallbackRequestFactory",
    "CallbackTransitionFactory",
    "ChildSupportFactory",
    "CollectionFactory",
    "ContactPreferenceFactory",
    "DemandeFactory",
    "DemandeTransitionFactory",
    "DemoLoadFactory",
    "DocumentFactory",
    "DossierFactory",
    "DueAllocationFactory",
    "DueFactory",
    "ForcedRecoveryFactory",
    "HousingFactory",
    "InfoTopicFactory",
    "IntermediationEventFactory",
    "IntermediationFactory",
    "IntermediationTransitionFactory",
    "InvitationFactory",
    "InvitationTransitionFactory",
    "LedgerEntryFactory",
    "LedgerTransactionFactory",
    "MembershipFactory",
    "MessageFactory",
    "NotificationFactory",
    "PaymentFileFactory",
    "PayoutFactory",
    "PersonFactory",
    "RecomputeChunkFactory",
    "RecomputeRunFactory",
    "RecoveryTransitionFactory",
    "ResourceFactory",
    "RevaluationFactory",
    "RightsRevisionFactory",
    "SignalementFactory",
    "SituationChangeFactory",
    "TitreChildFactory",
    "TitreFactory",
    "TitreRequestChildFactory",
    "TitreRequestFactory",
    "TitreRequestTransitionFactory",
    "UnionFactory",
    "UnpaidNoticeFactory",
    "UserFactory",
    "allocataire",
    "household",
]
