#include "paper_values.h"

const char *const paper_weak_chain[PAPER_WEAK_CHAIN_LEN] = {"6.7004", "8.267", "9.49", "10.124"};
const char *const paper_weak_expansions[PAPER_WEAK_CHAIN_LEN] = {"6.7004", "1.2338", "1.1479", "1.0668"};
const char *const paper_strong_chain[PAPER_STRONG_CHAIN_LEN] = {"6.7004", "12.35", "17.13"};
