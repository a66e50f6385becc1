// SPDX-License-Identifier: Apache-2.0
#include "cli/CommandTable.h"

#include "cli/Commands.h"

#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace coffer::cli {

namespace {

OptionSpec flag(QString name, QString help) {
    return OptionSpec{std::move(name), {}, std::move(help)};
}

OptionSpec valued(QString name, QString valueName, QString help, bool repeatable = false) {
    return OptionSpec{std::move(name), std::move(valueName), std::move(help), repeatable};
}

OptionSpec json() {
    return flag(u"json"_s, u"One compact JSON document instead of text"_s);
}

/// `defaults` says what happens without them: "default 3" for init, "default: unchanged" for passwd.
QList<OptionSpec> kdfOptions(const QString& passesDefault, const QString& memoryDefault) {
    return {
        valued(u"kdf-passes"_s, u"N"_s, u"Argon2id passes (2..16; %1)"_s.arg(passesDefault)),
        valued(u"kdf-memory"_s, u"MIB"_s,
               u"Argon2id memory in MiB, a power of two (64..2048; %1)"_s.arg(memoryDefault)),
    };
}

OptionSpec team() {
    return valued(u"team"_s, u"NAME"_s, u"The team (name or id prefix) when this vault belongs to several"_s);
}

/// Where a secret code comes from, for create and join: never the command line.
OptionSpec codeFile(const QString& what) {
    return valued(u"code-file"_s, u"FILE"_s,
                  u"Read the %1 from FILE (owner-only, chmod 600); else standard input, else a prompt"_s.arg(what));
}

OptionSpec caFile() {
    return valued(u"ca-file"_s, u"FILE"_s, u"Trust the server's certificate through this PEM CA bundle"_s);
}

OptionSpec displayName() {
    return valued(u"display-name"_s, u"NAME"_s,
                  u"Your name as the team sees it, on first use (default: your user name)"_s);
}

/// The team and sync commands (docs/cli.md "Team sync").
void addTeamCommands(QList<CommandSpec>& table) {
    namespace c = commands;
    table << CommandSpec{
        u"team create"_s,
        {},
        0,
        0,
        {valued(u"server"_s, u"URL"_s, u"The sync server: https://HOST[:PORT] (http only to this machine)"_s),
         valued(u"name"_s, u"NAME"_s, u"The team's name"_s), displayName(), caFile(),
         codeFile(u"operator's team code"_s)},
        u"Create a team on a sync server"_s,
        u"Creates a team on the server with the team code its operator gave you (`coffer-server team-code`), and "
        u"makes you its owner. The code is a secret: it is read from --code-file, from standard input when that is "
        u"not a terminal, or asked for without echo, never taken from the command line. Then share projects with "
        u"`coffer-cli team share`."_s,
        c::teamCreate,
        true};
    table << CommandSpec{u"team share"_s,
                         u"PROJECT"_s,
                         1,
                         1,
                         {team()},
                         u"Share a project's environments with the team"_s,
                         u"Shares every environment of PROJECT with the team (admins only): each gets its own key, "
                         u"and its secrets are encrypted and sent to the server, which never sees a name or a "
                         u"value. Members see an environment only once it is granted to them."_s,
                         c::teamShare};
    table << CommandSpec{
        u"team invite"_s,
        {},
        0,
        0,
        {valued(u"valid"_s, u"HOURS"_s, u"How long the code works (1..168; default 24)"_s), team()},
        u"Make an invite code (printed on stdout)"_s,
        u"Makes a one-time invite code for one new member (admins only) and prints it, alone, on standard "
        u"output; standard error says who it is for and that it is a secret. Give it over a private channel. "
        u"It carries the team and your fingerprint; only a hash of its secret part reaches the server."_s,
        c::teamInvite};
    table << CommandSpec{u"team join"_s,
                         {},
                         0,
                         0,
                         {codeFile(u"invite code"_s), displayName(), caFile()},
                         u"Join a team with an invite code"_s,
                         u"Joins the team an invite code names. The code is read from --code-file, from standard "
                         u"input when that is not a terminal, or asked for without echo, never taken from the "
                         u"command line. Prints the team's and the inviting admin's fingerprints to compare with "
                         u"what the admin reads out, and your fingerprint to read to the admin, who then confirms "
                         u"you."_s,
                         c::teamJoin,
                         true};
    table << CommandSpec{u"team members"_s,
                         {},
                         0,
                         0,
                         {json(), team()},
                         u"List the team's members"_s,
                         u"Lists the members with role, status (active, pending, keys-changed, removed) and "
                         u"fingerprint. Admins also see pending members, who joined and wait to be confirmed."_s,
                         c::teamMembers};
    table << CommandSpec{
        u"team confirm"_s,
        u"MEMBER"_s,
        1,
        1,
        {valued(u"role"_s, u"ROLE"_s, u"member or admin (default member)"_s),
         valued(u"fingerprint"_s, u"DIGITS"_s,
                u"The fingerprint MEMBER read to you (quote it; spaces are ignored); needed without a terminal"_s),
         flag(u"skip-verification"_s, u"Confirm without comparing fingerprints (warns; recorded as unverified)"_s),
         team()},
        u"Add a member who joined, after comparing fingerprints"_s,
        u"Adds a pending member to the roster (admins only). On a terminal it shows MEMBER's fingerprint and asks "
        u"whether it is exactly what they read to you. Without a terminal, --fingerprint must match it, or "
        u"--skip-verification confirms without comparing (with a warning: whoever holds the invite code could be "
        u"anyone). MEMBER is a display name or a fingerprint prefix."_s,
        c::teamConfirm};
    table << CommandSpec{u"team remove"_s,
                         u"MEMBER"_s,
                         1,
                         1,
                         {team()},
                         u"Remove a member and report what they could read"_s,
                         u"Removes MEMBER from the team (admins only): a new key for every environment they could "
                         u"read, sealed to everyone who remains, and an exposure report: every secret they could "
                         u"read, and what the server's access log and this device's audit log say they fetched. "
                         u"Those secrets stay on `coffer-cli rotate-list` until they get new values."_s,
                         c::teamRemove};
    table << CommandSpec{u"team role"_s,
                         u"MEMBER ROLE"_s,
                         2,
                         2,
                         {team()},
                         u"Change a member's role (owner, admin or member)"_s,
                         u"Makes MEMBER an owner, admin or member (admins only; only an owner makes or unmakes an "
                         u"owner). A signed roster event every teammate's client verifies. Refused when it would leave "
                         u"the team without an owner: make someone else an owner first."_s,
                         c::teamRole};
    table << CommandSpec{u"team fingerprint"_s,
                         u"[PROJECT/ENV]"_s,
                         0,
                         1,
                         {team()},
                         u"Show the team's and environments' fingerprints"_s,
                         u"Shows the team's fingerprint and, for each shared environment (or only PROJECT/ENV), a "
                         u"fingerprint of the roster and that environment's log as this vault last synced them. "
                         u"Teammates who see the same digits hold the same roster and log."_s,
                         c::teamFingerprint};
    table << CommandSpec{u"team list"_s,
                         {},
                         0,
                         0,
                         {},
                         u"List the teams this vault belongs to"_s,
                         u"Lists each team with its server, your role, its fingerprint and its status (ok, or the "
                         u"integrity failure that stopped it)."_s,
                         c::teamList};
    table << CommandSpec{u"grant"_s,
                         u"MEMBER PROJECT/ENV"_s,
                         2,
                         2,
                         {valued(u"role"_s, u"ROLE"_s, u"read or write (required)"_s), team()},
                         u"Give a member read or write access to an environment"_s,
                         u"Grants MEMBER read or write access to a shared environment (admins only), signed by you. "
                         u"A new member also gets read access to its history. Changing read to write or back is a "
                         u"grant too; to take access away use `coffer-cli revoke`."_s,
                         c::grant};
    table << CommandSpec{u"revoke"_s,
                         u"MEMBER [PROJECT/ENV]"_s,
                         1,
                         2,
                         {team()},
                         u"Take away a member's access (or remove them)"_s,
                         u"Takes MEMBER's access to PROJECT/ENV away (admins only): a new key for it, sealed to "
                         u"everyone who keeps access, and the exposure report. Without PROJECT/ENV, removes MEMBER "
                         u"from the team, as `coffer-cli team remove` does."_s,
                         c::revoke};
    table << CommandSpec{
        u"sync"_s,
        {},
        0,
        0,
        {json(), valued(u"clear-integrity"_s, u"PROJECT/ENV"_s,
                        u"First clear the integrity stop of PROJECT/ENV (after reading what failed)"_s)},
        u"Send and receive changes for every shared environment"_s,
        u"Syncs every team: roster and grants first, then each shared environment: pulls and "
        u"verifies new records, sends local changes. Prints per environment what was pulled and "
        u"pushed, new conflicts and errors. Exit 0 when all went well, 8 on any integrity error "
        u"(nothing that failed a check is applied), else 7 when something was refused (such as "
        u"read-only), else 5 on another error, else 6 when offline (changes wait for the next "
        u"sync). An environment stopped by an integrity error stays stopped, without asking the "
        u"server, until --clear-integrity PROJECT/ENV clears it: it prints what failed (the "
        u"offending bytes stay in the vault) and this sync retries it from the last verified state."_s,
        c::syncNow};
    table << CommandSpec{u"conflicts"_s,
                         {},
                         0,
                         0,
                         {json(), flag(u"all"_s, u"Include resolved conflicts"_s)},
                         u"List conflicts that sync found"_s,
                         u"Lists the open conflicts: the same secret changed on two devices at once. Both versions "
                         u"are in its history; the later one in the team's log is current. Never shows values."_s,
                         c::conflicts};
    table << CommandSpec{u"resolve"_s,
                         u"ID"_s,
                         1,
                         1,
                         {valued(u"keep"_s, u"SIDE"_s, u"current or other: which version stays"_s),
                          valued(u"value-file"_s, u"FILE"_s, u"Resolve with a new value: every byte of FILE"_s)},
                         u"Resolve a conflict"_s,
                         u"Resolves conflict ID (see `coffer-cli conflicts`): --keep current keeps the current "
                         u"version, --keep other makes the other version current again as a new version, "
                         u"--value-file FILE stores a new value. New versions are sent by the next sync."_s,
                         c::resolve};
    table << CommandSpec{u"rotate-list"_s,
                         {},
                         0,
                         0,
                         {json(), flag(u"all"_s, u"Include the secrets already rotated"_s)},
                         u"List secrets to rotate after a removal"_s,
                         u"Lists the secrets a removed member could read, each \"to rotate\" until it gets a new "
                         u"version (change the value at its source, then `coffer-cli set` and `coffer-cli sync`)."_s,
                         c::rotateList};
}

QList<CommandSpec> buildTable() {
    namespace c = commands;
    QList<CommandSpec> table;
    table << CommandSpec{u"init"_s,
                         {},
                         0,
                         0,
                         kdfOptions(u"default 3"_s, u"default 256"_s),
                         u"Create a new vault"_s,
                         u"Creates a new vault file at the vault path (owner-only, mode 0600). Asks for the new "
                         u"password twice on the terminal, or reads it from --password-file. Refuses a path where a "
                         u"file already exists. A higher key-derivation cost makes guessing the password slower for "
                         u"an attacker, and unlocking slower for you."_s,
                         c::init};
    table << CommandSpec{
        u"passwd"_s,
        {},
        0,
        0,
        QList<OptionSpec>{valued(u"new-password-file"_s, u"FILE"_s,
                                 u"Read the new password from FILE (owner-only, like --password-file)"_s)} +
            kdfOptions(u"default: unchanged"_s, u"default: unchanged"_s),
        u"Change the vault password"_s,
        u"Re-encrypts the whole vault under a new password: asks for the current password (or reads "
        u"--password-file), then for the new one twice (or reads --new-password-file). With "
        u"--kdf-passes or --kdf-memory the key-derivation cost changes too. The old file is replaced "
        u"atomically: a crash leaves either the old vault or the new one."_s,
        c::passwd};
    table << CommandSpec{u"info"_s,
                         {},
                         0,
                         0,
                         {json()},
                         u"Show the vault's format, cost and counts"_s,
                         u"Shows the vault's path, file format, key-derivation cost and size, and how many projects, "
                         u"environments, secrets, versions and audit events it holds. Nothing secret is shown, but "
                         u"the counts need the password."_s,
                         c::info};
    table << CommandSpec{u"project add"_s,
                         u"PROJECT"_s,
                         1,
                         1,
                         {},
                         u"Create a project"_s,
                         u"Creates a project. Names are 1 to 64 letters, digits, '-', '_' or '.', starting with a "
                         u"letter or digit."_s,
                         c::projectAdd};
    table << CommandSpec{u"project ls"_s,
                         {},
                         0,
                         0,
                         {json()},
                         u"List projects"_s,
                         u"Lists the projects, one per line (the same as `coffer-cli ls`)."_s,
                         c::projectList};
    table << CommandSpec{u"project rm"_s,
                         u"PROJECT"_s,
                         1,
                         1,
                         {flag(u"force"_s, u"Remove it even when it holds environments, with everything in them"_s)},
                         u"Remove a project"_s,
                         u"Removes an empty project. A project that holds environments is refused, and the message "
                         u"says what it holds; --force removes it with its environments, secrets and their history "
                         u"(an audit event records what was removed)."_s,
                         c::projectRemove};
    table << CommandSpec{u"project rename"_s,
                         u"PROJECT NEWNAME"_s,
                         2,
                         2,
                         {},
                         u"Rename a project"_s,
                         u"Renames a project; its environments and secrets move with it."_s,
                         c::projectRename};
    table << CommandSpec{u"env add"_s,
                         u"PROJECT/ENV"_s,
                         1,
                         1,
                         {flag(u"protected"_s, u"Mark it protected (like production)"_s),
                          flag(u"unprotected"_s, u"Do not mark it protected"_s)},
                         u"Create an environment"_s,
                         u"Creates an environment in a project. Names such as prod, production, prd, live, prod-* "
                         u"and production-* are protected by default; --protected or --unprotected overrides that."_s,
                         c::envAdd};
    table << CommandSpec{u"env ls"_s,
                         u"PROJECT"_s,
                         1,
                         1,
                         {json()},
                         u"List a project's environments"_s,
                         u"Lists the environments of a project in order, marking protected ones (the same as "
                         u"`coffer-cli ls PROJECT`)."_s,
                         c::envList};
    table << CommandSpec{u"env rm"_s,
                         u"PROJECT/ENV"_s,
                         1,
                         1,
                         {flag(u"force"_s, u"Remove it even when it holds secrets, with their history"_s)},
                         u"Remove an environment"_s,
                         u"Removes an environment without live secrets. One that holds secrets is refused, and the "
                         u"message names them; --force removes it with its secrets and their history."_s,
                         c::envRemove};
    table << CommandSpec{u"env rename"_s,
                         u"PROJECT/ENV NEWNAME"_s,
                         2,
                         2,
                         {},
                         u"Rename an environment"_s,
                         u"Renames an environment; its secrets move with it."_s,
                         c::envRename};
    table << CommandSpec{u"set"_s,
                         u"PROJECT/ENV/NAME"_s,
                         1,
                         1,
                         {valued(u"note"_s, u"TEXT"_s, u"A note kept with the secret (not secret itself)"_s),
                          valued(u"tag"_s, u"TAG"_s, u"A tag; repeat for several (replaces the current tags)"_s, true),
                          flag(u"trim-newline"_s, u"Drop one trailing newline (\\n) from standard input"_s)},
                         u"Create or update a secret (value from stdin or a prompt)"_s,
                         u"Stores a new version of a secret. The value is read from standard input when it is not a "
                         u"terminal: every byte exactly as given (binary is fine, a trailing newline is kept unless "
                         u"--trim-newline), up to 1 MiB. On a terminal it is asked for twice without echo. It is "
                         u"never taken from the command line, where other users could see it. NAME follows "
                         u"environment-variable rules: letters, digits and '_', not starting with a digit. Setting a "
                         u"deleted secret brings it back."_s,
                         c::set,
                         true};
    table << CommandSpec{u"get"_s,
                         u"PROJECT/ENV/NAME"_s,
                         1,
                         1,
                         {valued(u"version"_s, u"N"_s, u"An older version (see history); also of a deleted secret"_s),
                          flag(u"raw"_s, u"Print the value as written, without resolving ${...} references"_s)},
                         u"Print a secret's value"_s,
                         u"Writes the exact bytes of the value to standard output, with no newline added. References "
                         u"to other secrets (${NAME}, ${ENV.NAME}, ${PROJECT/ENV/NAME}) are resolved, and $${ "
                         u"gives a literal ${; --raw prints the value as written. Each reveal is recorded in the "
                         u"vault's audit log."_s,
                         c::get};
    table << CommandSpec{u"ls"_s,
                         u"[PROJECT[/ENV]]"_s,
                         0,
                         1,
                         {json(), flag(u"deleted"_s, u"Include deleted secrets"_s)},
                         u"List projects, environments or secrets"_s,
                         u"Without an argument lists the projects; with PROJECT its environments; with PROJECT/ENV "
                         u"its secrets with version, last update (UTC), author and tags. Never shows values."_s,
                         c::list};
    table << CommandSpec{u"rm"_s,
                         u"PROJECT/ENV/NAME"_s,
                         1,
                         1,
                         {},
                         u"Delete a secret (undo with restore)"_s,
                         u"Deletes a secret by adding a delete version: its history stays, and the message says how to "
                         u"bring it back with restore."_s,
                         c::remove};
    table << CommandSpec{u"history"_s,
                         u"PROJECT/ENV/NAME"_s,
                         1,
                         1,
                         {json()},
                         u"Show a secret's versions"_s,
                         u"Lists every version of a secret, oldest first: what changed, when (UTC) and by whom. Works "
                         u"for deleted secrets too. Never shows values."_s,
                         c::history};
    table << CommandSpec{u"restore"_s,
                         u"PROJECT/ENV/NAME"_s,
                         1,
                         1,
                         {valued(u"version"_s, u"N"_s, u"The version whose content comes back (required)"_s)},
                         u"Bring back an older version"_s,
                         u"Adds a new version whose value, note and tags are those of version N: it undoes a delete "
                         u"or a bad update without losing anything."_s,
                         c::restore};
    table << CommandSpec{u"rename"_s,
                         u"PROJECT/ENV/NAME NEWNAME"_s,
                         2,
                         2,
                         {},
                         u"Rename a secret"_s,
                         u"Renames a secret within its environment. Its history stays with it."_s,
                         c::rename};
    table << CommandSpec{u"import"_s,
                         u"PROJECT/ENV FILE"_s,
                         2,
                         2,
                         {valued(u"format"_s, u"F"_s,
                                 u"dotenv, docker, shell, systemd, json or yaml (default: from the extension, else "
                                 u"dotenv)"_s),
                          flag(u"dry-run"_s, u"Only show what would change"_s)},
                         u"Import a .env or JSON file into an environment"_s,
                         u"Reads FILE, shows which names would be added, changed or stay unchanged (never the values), "
                         u"then stores them all in one transaction: all or nothing. Unchanged names get no new "
                         u"version. --dry-run stops after the preview."_s,
                         c::importEnvironment};
    table << CommandSpec{
        u"export"_s,
        u"PROJECT/ENV"_s,
        1,
        1,
        {valued(u"output"_s, u"FILE"_s, u"Write to FILE (also -o) instead of standard output"_s),
         valued(u"format"_s, u"F"_s,
                u"dotenv, docker, shell, systemd, json or yaml (default: from the extension, else "
                u"dotenv)"_s),
         flag(u"merge"_s, u"Update only Coffer's names in an existing dotenv FILE, keep other lines"_s),
         flag(u"allow-unignored"_s, u"Write inside a git work tree even if git does not ignore FILE"_s),
         flag(u"yes"_s, u"Confirm the export of a protected environment without asking"_s)},
        u"Export an environment's secrets (to stdout or safely to a file)"_s,
        u"Writes the secrets of an environment, references resolved, to standard output or to FILE. "
        u"A file is replaced atomically and owner-only (0600); a symlink, a FIFO, a device or a "
        u"folder is refused, so is a file git tracks, and one inside a git work tree that git does "
        u"not ignore unless --allow-unignored. A protected environment asks for confirmation (or "
        u"--yes). Every export is recorded in the audit log."_s,
        c::exportEnvironment};
    table << CommandSpec{u"diff"_s,
                         u"PROJECT/ENV_A PROJECT/ENV_B"_s,
                         2,
                         2,
                         {json()},
                         u"Compare two environments by name, never showing values"_s,
                         u"Lists the names only in A, only in B, those with equal values and those with different "
                         u"values. Stored values are compared as written (references are not resolved); no value is "
                         u"ever shown."_s,
                         c::diff};
    table << CommandSpec{u"dotenv parse"_s,
                         u"FILE"_s,
                         1,
                         1,
                         {valued(u"format"_s, u"F"_s,
                                 u"dotenv, docker, shell, systemd, json or yaml (default: from the extension, else "
                                 u"dotenv)"_s)},
                         u"Show what Coffer reads from a file, as JSON (prints values)"_s,
                         u"Prints one JSON object {\"NAME\": \"value\"} of what Coffer would import from FILE. It "
                         u"needs no vault and no password, and it prints the values: it shows you your own file."_s,
                         c::dotenvParse};
    table << CommandSpec{
        u"run"_s,
        u"PROJECT/ENV -- CMD [ARGS...]"_s,
        2,
        INT_MAX,
        {valued(u"env-file"_s, u"TEMPLATE"_s,
                u"Inject only the names this dotenv file lists; its values may hold coffer://PROJECT/ENV/NAME and "
                u"${...} references"_s),
         flag(u"no-masking"_s, u"Let the program write to the terminal directly, secrets unmasked"_s),
         valued(u"allow-name"_s, u"NAME"_s,
                u"Allow a variable that changes how programs load (LD_PRELOAD, NODE_OPTIONS, ...); repeatable"_s, true),
         flag(u"yes"_s, u"Confirm the use of a protected environment without asking"_s)},
        u"Run a program with an environment's secrets in its environment"_s,
        u"Starts CMD directly (no shell) with the environment's secrets, references resolved, added to the inherited "
        u"environment (the secrets win); nothing is written to disk. Its exit status passes through (128+N when "
        u"signal N killed it), and SIGINT, SIGTERM and SIGHUP sent to coffer-cli are passed on. Secret values in "
        u"its output, also base64 and URL-encoded, are shown as ***** (values under 4 bytes are not masked). "
        u"Variables that change how programs load are refused unless --allow-name. Put -- before CMD when it has "
        u"options of its own. A protected environment asks for confirmation (or --yes). Every run is recorded in "
        u"the audit log with the names it passed, never the values."_s,
        c::run};
    table << CommandSpec{
        u"inject"_s,
        u"[TEMPLATE]"_s,
        0,
        1,
        {valued(u"input"_s, u"TEMPLATE"_s,
                u"The text file whose coffer://PROJECT/ENV/NAME references are replaced (also -i, or the argument)"_s),
         valued(u"output"_s, u"FILE"_s, u"Write to FILE (also -o) instead of standard output"_s),
         flag(u"allow-unignored"_s, u"Write inside a git work tree even if git does not ignore FILE"_s),
         flag(u"yes"_s, u"Confirm the use of a protected environment without asking"_s)},
        u"Replace coffer:// references in a text file with secret values"_s,
        u"Copies TEMPLATE to standard output or FILE with every coffer://PROJECT/ENV/NAME replaced by that "
        u"secret's value (its own references resolved); a name ends at the first character a name cannot hold. "
        u"An unknown secret is an error and nothing is written. FILE is replaced atomically and owner-only (0600); "
        u"a symlink, a file git tracks, and one git does not ignore (unless --allow-unignored) are refused. A "
        u"protected environment asks for confirmation (or --yes). Recorded in the audit log, names only."_s,
        c::inject};
    addTeamCommands(table);
    table << CommandSpec{
        u"agent start"_s,
        {},
        0,
        0,
        {valued(u"idle-timeout"_s, u"TIME"_s,
                u"Stop after this long without a request: 90s, 15m, 8h; 0 never (default 15m)"_s),
         valued(u"max-lifetime"_s, u"TIME"_s, u"Stop this long after the start whatever happens (default: never)"_s)},
        u"Unlock once and serve coffer-cli in the background"_s,
        u"Asks for the password (or reads --password-file) once, then serves this vault's reads to coffer-cli over a "
        u"private local socket in the background, so get, ls, export, run and inject need no password and no key "
        u"derivation. It stops on coffer-cli lock, after the idle timeout or the maximum lifetime. Reading a "
        u"protected environment through it asks on the terminal that started it; without that terminal it is "
        u"refused. The key never leaves the agent (docs/agent.md)."_s,
        c::agentStart};
    table << CommandSpec{u"agent status"_s,
                         {},
                         0,
                         0,
                         {},
                         u"Show whether an agent serves this vault"_s,
                         u"Shows the running agent's vault, pid, start time, timeouts and the requests it served; "
                         u"exit 5 when no agent serves this vault."_s,
                         c::agentStatus};
    table << CommandSpec{
        u"agent stop"_s, {}, 0, 0, {}, u"Stop the agent (the same as lock)"_s, u"The same as coffer-cli lock."_s,
        c::lock};
    table << CommandSpec{u"lock"_s,
                         {},
                         0,
                         0,
                         {},
                         u"Stop the agent for this vault at once"_s,
                         u"Stops the agent serving this vault (the headless one or the desktop app's): from now on "
                         u"every command asks for the password again. Nothing to do when none runs."_s,
                         c::lock};
    table << CommandSpec{u"help"_s,
                         u"[COMMAND]"_s,
                         0,
                         2,
                         {},
                         u"Show help for a command"_s,
                         u"The same as `coffer-cli COMMAND --help`."_s,
                         c::help};
    return table;
}

} // namespace

const QList<CommandSpec>& commandTable() {
    static const QList<CommandSpec> table = buildTable();
    return table;
}

const QList<OptionSpec>& globalOptions() {
    static const QList<OptionSpec> options{
        valued(u"vault"_s, u"PATH"_s, u"The vault file (default: $COFFER_VAULT, else the standard location)"_s),
        valued(u"password-file"_s, u"FILE"_s,
               u"Read the password from FILE instead of the terminal; FILE must not be readable or writable by "
               u"group or others (chmod 600); one trailing newline is ignored"_s),
        flag(u"help"_s, u"Show help (also -h)"_s),
        flag(u"version"_s, u"Show coffer-cli's version"_s),
        flag(u"no-agent"_s, u"Unlock the vault yourself even when an agent serves it"_s),
    };
    return options;
}

const CommandSpec* findCommand(const QString& name) {
    const auto& table = commandTable();
    const auto it = std::find_if(table.cbegin(), table.cend(), [&](const CommandSpec& c) { return c.name == name; });
    return it == table.cend() ? nullptr : &*it;
}

} // namespace coffer::cli
