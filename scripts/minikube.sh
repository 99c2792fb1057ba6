#!/usr/bin/env bash
# Runs Shop on a local minikube cluster: builds the two images inside minikube, applies the minikube overlay
# (k8s/overlays/minikube, kustomize), waits for every rollout and prints the URL. Needs minikube and kubectl (and a
# driver minikube supports).
#
#   scripts/minikube.sh [up|down]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OVERLAY="$ROOT/k8s/overlays/minikube"
log() { printf '[minikube] %s\n' "$*" >&2; }
for tool in minikube kubectl; do command -v "$tool" >/dev/null || { log "$tool is required"; exit 1; }; done

case "${1:-up}" in
  down)
    kubectl delete -k "$OVERLAY" --ignore-not-found
    exit 0 ;;
  up) ;;
  *) echo "usage: $0 [up|down]" >&2; exit 2 ;;
esac

minikube status >/dev/null 2>&1 || { log "starting minikube"; minikube start --cpus=4 --memory=8g; }
log "building images inside minikube"
minikube image build -t shop-host:local -f Host/Dockerfile "$ROOT"
minikube image build -t shop-web:local "$ROOT/web"
if [ ! -f "$OVERLAY/secrets/auth.env" ]; then
  log "writing k8s/overlays/minikube/secrets/auth.env with new random keys (git ignores it)"
  printf 'Auth__SigningKeys__0__Id=%s\nAuth__SigningKeys__0__Key=%s\nAdmin__Key=%s\n' \
    "$(date -u +%Y%m%d)" "$(openssl rand -base64 48 | tr -d '\n')" "$(openssl rand -base64 48 | tr -d '\n')" > "$OVERLAY/secrets/auth.env"
fi
if [ ! -f "$OVERLAY/secrets/database.env" ]; then
  log "writing k8s/overlays/minikube/secrets/database.env with new random passwords (git ignores it)"
  printf 'orders-db-password=%s\npayments-db-password=%s\n' "$(openssl rand -hex 24)" "$(openssl rand -hex 24)" > "$OVERLAY/secrets/database.env"
fi
log "applying k8s/overlays/minikube"
kubectl apply -k "$OVERLAY"
for workload in statefulset/postgres-orders statefulset/postgres-payments statefulset/kafka deployment/redis \
                deployment/orders deployment/payments deployment/web deployment/traefik; do
  kubectl -n shop rollout status "$workload" --timeout=300s
done
kubectl -n shop wait --for=condition=complete job/kafka-topics --timeout=300s
echo "Shop is ready at $(minikube service -n shop traefik --url | head -n 1)/"
