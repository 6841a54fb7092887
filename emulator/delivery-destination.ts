/** How CodeDeliveryDetails and a challenge's CODE_DELIVERY_DESTINATION show where a code went. */

/** `j***@e***` / `+*******0123`: what CodeDeliveryDetails.Destination shows. */
export function maskDestination(destination: string): string {
  const at = destination.indexOf("@");
  if (at > 0) return `${destination[0]}***@${destination[at + 1] ?? ""}***`;
  return `+${"*".repeat(Math.max(0, destination.length - 5))}${destination.slice(-4)}`;
}
