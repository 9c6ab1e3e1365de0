#!/bin/sh
# What an admin writes without lockcloud, for bench/pam_exec.c: a pam_exec
# account check with curl + jq, the same rule as pam_lockcloud's
# guest_current (the mapped access person's status is "current").
#   pam_exec.so quiet /bin/sh bench/lib/pam_exec_check.sh DIR cold|warm
# DIR holds: map ("user id" lines), url, ca.pem, token_form (the OAuth
# client_credentials form) and, warm, curl_token (an access token fetched
# once, as a cron job would keep it). PAM_USER comes from pam_exec.
set -u
d=$1
id=$(awk -v u="${PAM_USER:-}" '$1 == u { print $2; exit }' "$d/map")
[ -n "$id" ] || exit 1
url=$(cat "$d/url")
if [ "$2" = warm ]; then
    token=$(cat "$d/curl_token")
else
    token=$(curl -sS --fail --cacert "$d/ca.pem" -d @"$d/token_form" "$url/oauth/token" |
        jq -er .access_token) || exit 1
fi
status=$(curl -sS --fail --cacert "$d/ca.pem" -H "Authorization: Bearer $token" \
    "$url/access_persons/$id" | jq -er .data.attributes.status) || exit 1
[ "$status" = current ]
