/* One entry point per command (cli/cmd_<name>.c). */
#ifndef RELUCAP_COMMANDS_H
#define RELUCAP_COMMANDS_H
int cmd_capacity(int argc, char **argv);
int cmd_chain(int argc, char **argv);
int cmd_gate(int argc, char **argv);
int cmd_paper(int argc, char **argv);
int cmd_depth(int argc, char **argv);
int cmd_mc(int argc, char **argv);
int cmd_transition(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_invert(int argc, char **argv);
#endif
