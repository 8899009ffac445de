#!/bin/bash
# The same accounts through the real PAM stack: a PAM service file that runs
# `twofold-admin verify --pam` through pam_exec (expose_authtok), driven by
# pamtester. Right password + code succeeds, a wrong code fails, a replayed
# code fails. Prints TAP. Needs root (it writes /etc/pam.d/), as CI has.
#
#   test-pam.sh PATH/TO/twofold-admin
set -u
admin=$(readlink -f "$1")
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check() { if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3 (got $1, expected $2)"; fi; }

if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP writing /etc/pam.d needs root"
    exit 77
fi
for tool in pamtester oathtool; do
    command -v $tool >/dev/null || { echo "Bail out! $tool is not installed"; exit 1; }
done

tmp=$(mktemp -d)
service="twofold-test-$$"
cleanup() { rm -f "/etc/pam.d/$service"; rm -rf "$tmp"; }
trap cleanup EXIT

store="$tmp/store/twofold.db"
key="$tmp/key"
password='correct horse battery staple'

# pam_exec gives the program a bare environment: the wrapper restores what
# an installed Twofold would not need (the schema from the build tree).
cat > "$tmp/verify" <<WRAP
#!/bin/sh
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR='${GSETTINGS_SCHEMA_DIR:-}'
export TWOFOLD_SEAT=pam-test
exec '$admin' --store '$store' --key-file '$key' verify --pam
WRAP
chmod 0755 "$tmp/verify"
cat > "/etc/pam.d/$service" <<PAM
auth     required pam_exec.so expose_authtok quiet $tmp/verify
account  required pam_permit.so
PAM

"$admin" --store "$store" --key-file "$key" init >/dev/null
uri=$(printf '%s\n' "$password" | "$admin" --store "$store" --key-file "$key" add alice \
      --email alice@example.org --first-name Alice --last-name Liddell)
secret=$(sed -n 's/.*[?&]secret=\([A-Z2-7]*\).*/\1/p' <<<"$uri")
now=$(date +%s)
oathtool --totp -b -N "@$now" "$secret" | "$admin" --store "$store" --key-file "$key" \
    confirm alice >/dev/null
check $? 0 "alice enrolled"

code=$(oathtool --totp -b -N "@$((now + 30))" "$secret")
printf '%s%s\n' "$password" "$code" | pamtester "$service" alice authenticate >/dev/null 2>&1
check $? 0 "password + current code authenticates through PAM"

printf '%s%s\n' "$password" "$code" | pamtester "$service" alice authenticate >/dev/null 2>&1
check $? 1 "the same code again is refused (replay)"

wrong=$(printf '%06d' $(( (10#$code + 1) % 1000000 )))
printf '%s%s\n' "$password" "$wrong" | pamtester "$service" alice authenticate >/dev/null 2>&1
check $? 1 "a wrong code is refused"

printf '%s%s\n' "not the password" "$code" | pamtester "$service" alice authenticate >/dev/null 2>&1
check $? 1 "a wrong password is refused"

printf '%s%s\n' "$password" "$code" | pamtester "$service" nobody authenticate >/dev/null 2>&1
check $? 1 "an unknown user is refused"

events=$("$admin" --store "$store" --key-file "$key" audit | cut -f3 | sort | uniq -c | tr -s ' ')
grep -q "1 login.success" <<<"$events"; check $? 0 "the PAM login is in the audit log"

echo "1..$n"
exit $failed
