/* Numbers PRINTED in arXiv 2412.19677, as printed (strings keep their precision).  They are used
 * only beside relucap's own values, labelled as the paper's: by `relucap paper` and by the plots. */
#ifndef RELUCAP_PAPER_VALUES_H
#define RELUCAP_PAPER_VALUES_H

#define PAPER_WEAK_CHAIN_LEN 4
#define PAPER_STRONG_CHAIN_LEN 3
/* Tables 1 and 7: the weak chain from alpha_1 = 6.7004 and its expansions. */
extern const char *const paper_weak_chain[PAPER_WEAK_CHAIN_LEN];
extern const char *const paper_weak_expansions[PAPER_WEAK_CHAIN_LEN];
/* Tables 3 and 5: the strong chain from alpha_1 = 6.7004. */
extern const char *const paper_strong_chain[PAPER_STRONG_CHAIN_LEN];

#endif
