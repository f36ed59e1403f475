#!/bin/sh
# Start RabbitMQ with the project's definitions plus users taken from the environment.
#
# A node that imports definitions at boot creates no default user. This script writes
# the definitions it loads from three parts:
#   - deploy/rabbitmq/definitions.json (`python -m chassis.broker definitions`): the
#     community_space vhost, its policies, the dead-letter exchange and queue;
#   - the users, whose passwords come from the container's environment and never from
#     a file in the repository:
#       CS_<COMPONENT>_AMQP_PASSWORD                     what cs_<component> connects with
#       CS_BROKER_ADMIN_USER / CS_BROKER_ADMIN_PASSWORD  the management UI's administrator
#   - what each user may do: deploy/rabbitmq/permissions.json (`python -m chassis.broker
#     permissions`) for the components' users, everything on the vhost for the administrator;
# then hands over to the image's own entrypoint ("$@" is its command).
set -eu

source_file="${CS_DEFINITIONS_SOURCE:-/etc/rabbitmq/topology.json}"
permissions_file="${CS_PERMISSIONS_SOURCE:-/etc/rabbitmq/permissions.json}"
target_file="${CS_DEFINITIONS_TARGET:-/etc/rabbitmq/definitions.json}"
vhost=community_space  # as in both files
components="spaces reservations programs notifications gateway"

variables="CS_BROKER_ADMIN_USER CS_BROKER_ADMIN_PASSWORD"
for component in $components; do
    variables="$variables CS_$(echo "$component" | tr a-z A-Z)_AMQP_PASSWORD"
done
for name in $variables; do
    eval "value=\${$name:-}"
    if [ -z "$value" ]; then
        echo "entrypoint: $name is not set" >&2
        exit 1
    fi
    # Also what may appear in an AMQP URI without escaping; keeps the JSON below valid.
    case "$value" in
        *[!A-Za-z0-9._~-]*)
            echo "entrypoint: $name may contain only A-Z a-z 0-9 . _ ~ -" >&2
            exit 1
            ;;
    esac
done
granted="$(cat "$permissions_file")"
if [ "$(head -c 1 "$source_file")" != "{" ] || [ "${granted#[}" = "$granted" ] || [ "${granted%]}" = "$granted" ]; then
    echo "entrypoint: $source_file must hold a JSON object and $permissions_file a JSON array" >&2
    exit 1
fi

users=""
for component in $components; do
    if [ "$CS_BROKER_ADMIN_USER" = "cs_$component" ]; then
        echo "entrypoint: the administrator must not be a component's user" >&2
        exit 1
    fi
    eval "password=\$CS_$(echo "$component" | tr a-z A-Z)_AMQP_PASSWORD"
    users="$users{\"name\": \"cs_$component\", \"password\": \"$password\", \"tags\": \"\"}, "
done
users="\"users\": [$users\
{\"name\": \"$CS_BROKER_ADMIN_USER\", \"password\": \"$CS_BROKER_ADMIN_PASSWORD\", \"tags\": \"administrator\"}], "
admin="{\"user\": \"$CS_BROKER_ADMIN_USER\", \"vhost\": \"$vhost\", \"configure\": \".*\", \"write\": \".*\", \"read\": \".*\"}"

umask 077
# "{" users, permissions, then the topology after its own "{". printf's arguments are
# copied as they are: the permissions' patterns keep their backslashes.
{
    printf '{%s"permissions": [%s, %s, ' "$users" "$admin" "${granted#[}"
    tail -c +2 "$source_file"
} > "$target_file"
if [ "$(id -u)" = 0 ] && id rabbitmq >/dev/null 2>&1; then
    chown rabbitmq:rabbitmq "$target_file"
fi

exec "$@"
