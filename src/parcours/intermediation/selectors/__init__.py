"""Read queries of the intermediation: the ledger's balances and checks (`ledger`), the ARIPA
agents' files and each parent's side of their pension (`files`)."""
