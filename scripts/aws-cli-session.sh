#!/usr/bin/env bash
#
# aws-cli-session.sh -- a tenant's realistic session with the unmodified AWS CLI against Phare's EC2 endpoint:
# describe regions and zones, run two instances with tags in a given zone, wait until they run, filter and page,
# stop, start, terminate, wait until terminated. Exits non-zero at the first surprise, saying what it expected.
#
# Usage: PHARE_EC2_ENDPOINT=http://127.0.0.1:7400 AWS_ACCESS_KEY_ID=PHK... AWS_SECRET_ACCESS_KEY=... \
#          scripts/aws-cli-session.sh
# (phare demo prints such credentials; the tenant's instances are the session's only concern.)
set -euo pipefail

: "${PHARE_EC2_ENDPOINT:?set PHARE_EC2_ENDPOINT to the server URL, e.g. http://127.0.0.1:7400}"
: "${AWS_ACCESS_KEY_ID:?set AWS_ACCESS_KEY_ID to a tenant access key id}"
: "${AWS_SECRET_ACCESS_KEY:?set AWS_SECRET_ACCESS_KEY to its secret}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-eu-west-2}"
export AWS_PAGER=""              # v2: never wait for a pager
export AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN
ZONE="${ZONE:-eu-west-2b}"
TAG="cli-session-$$"

ec2() { aws ec2 --endpoint-url "$PHARE_EC2_ENDPOINT" --output text "$@"; }
step() { printf '== %s\n' "$*"; }
expect() { # expect WHAT ACTUAL WANTED
  if [ "$2" != "$3" ]; then
    printf 'FAILED: %s: got [%s], expected [%s]\n' "$1" "$2" "$3" >&2
    exit 1
  fi
  printf '   ok: %s = %s\n' "$1" "$2"
}
words() { tr -s ' \t\n' '\n' | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//'; }

aws --version

step "describe regions and zones"
expect "region" "$(ec2 describe-regions --query 'Regions[].RegionName')" "$AWS_DEFAULT_REGION"
expect "zones" "$(ec2 describe-availability-zones --query 'AvailabilityZones[].ZoneName' | words)" \
  "${AWS_DEFAULT_REGION}a ${AWS_DEFAULT_REGION}b ${AWS_DEFAULT_REGION}c"
expect "state of $ZONE" "$(ec2 describe-availability-zones --zone-names "$ZONE" --query 'AvailabilityZones[0].State')" "available"

step "run two instances with tags in $ZONE"
ids=$(ec2 run-instances --image-id http-echo --instance-type tinav5.c1r1 --count 2 \
  --placement "AvailabilityZone=$ZONE" \
  --tag-specifications "ResourceType=instance,Tags=[{Key=session,Value=$TAG},{Key=role,Value=web},{Key=team,Value=ops}]" \
  --query 'Instances[].InstanceId' | words)
set -- $ids
expect "instances started" "$#" "2"
first=$1

step "wait until running: $ids"
ec2 wait instance-running --instance-ids $ids
expect "running" "$(ec2 describe-instances --instance-ids $ids --query 'Reservations[].Instances[].State.Name' | words)" "running running"
expect "zone" "$(ec2 describe-instances --instance-ids $first --query 'Reservations[0].Instances[0].Placement.AvailabilityZone')" "$ZONE"

step "filter by tag, state and zone"
expect "by tag" "$(ec2 describe-instances --filters "Name=tag:session,Values=$TAG" --query 'Reservations[].Instances[].InstanceId' | words)" "$ids"
expect "by tag, state and zone" "$(ec2 describe-instances --filters "Name=tag:session,Values=$TAG" \
  Name=instance-state-name,Values=running "Name=availability-zone,Values=$ZONE" Name=tag:role,Values=web \
  --query 'Reservations[].Instances[].InstanceId' | words)" "$ids"
expect "no match" "$(ec2 describe-instances --filters "Name=tag:session,Values=$TAG" Name=instance-state-name,Values=stopped \
  --query 'Reservations[].Instances[].InstanceId' | words)" ""
expect "tags" "$(ec2 describe-tags --filters "Name=resource-id,Values=$first" --query 'Tags[].Key' | words)" "role session team"

step "page through their tags, 5 per request: 6 tags over two server pages, then 4 + 2 with the CLI's tokens"
pairs() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("NextToken","")); print(" ".join(sorted(t["ResourceId"]+"/"+t["Key"] for t in d["Tags"])))'; }
all=$(aws ec2 --endpoint-url "$PHARE_EC2_ENDPOINT" --output json describe-tags --page-size 5 \
  --filters "Name=resource-id,Values=$(echo $ids | tr ' ' ',')" | pairs | tail -1)
expect "tags over two pages" "$(echo $all | wc -w | tr -d ' ')" "6"
page1=$(aws ec2 --endpoint-url "$PHARE_EC2_ENDPOINT" --output json describe-tags --page-size 5 --max-items 4 \
  --filters "Name=resource-id,Values=$(echo $ids | tr ' ' ',')" | pairs)
token=$(printf '%s\n' "$page1" | head -1)
page2=$(aws ec2 --endpoint-url "$PHARE_EC2_ENDPOINT" --output json describe-tags --page-size 5 --max-items 4 \
  --starting-token "$token" --filters "Name=resource-id,Values=$(echo $ids | tr ' ' ',')" | pairs | tail -1)
expect "first page" "$(printf '%s\n' "$page1" | tail -1 | wc -w | tr -d ' ')" "4"
expect "both pages" "$(printf '%s %s' "$(printf '%s\n' "$page1" | tail -1)" "$page2" | words)" "$(echo $all | words)"

step "stop, wait until stopped"
expect "stopping" "$(ec2 stop-instances --instance-ids $ids --query 'StoppingInstances[].CurrentState.Name' | words)" "stopping stopping"
ec2 wait instance-stopped --instance-ids $ids
expect "stopped" "$(ec2 describe-instances --instance-ids $ids --query 'Reservations[].Instances[].State.Code' | words)" "80 80"

step "start, wait until running"
ec2 start-instances --instance-ids $ids --query 'StartingInstances[].CurrentState.Name' >/dev/null
ec2 wait instance-running --instance-ids $ids
expect "running again" "$(ec2 describe-instances --instance-ids $ids --query 'Reservations[].Instances[].State.Name' | words)" "running running"

step "terminate, wait until terminated"
ec2 terminate-instances --instance-ids $ids --query 'TerminatingInstances[].CurrentState.Name' >/dev/null
ec2 wait instance-terminated --instance-ids $ids
expect "terminated" "$(ec2 describe-instances --instance-ids $ids --query 'Reservations[].Instances[].State.Code' | words)" "48 48"

step "an unknown instance is refused with EC2's code"
if out=$(ec2 describe-instances --instance-ids i-0123456789abcdef0 2>&1); then
  echo "FAILED: an unknown instance id was accepted: $out" >&2
  exit 1
fi
case "$out" in
  *InvalidInstanceID.NotFound*) echo "   ok: InvalidInstanceID.NotFound" ;;
  *) echo "FAILED: expected InvalidInstanceID.NotFound, got: $out" >&2; exit 1 ;;
esac

echo "session complete"
