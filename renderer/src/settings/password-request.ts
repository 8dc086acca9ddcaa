/**
 * "Add a password" on another page (the backup codes' protection notice) opens Settings with the
 * password form already open, so the person lands on the fields instead of hunting for them.
 * A one-shot hand-off: the next Settings page takes it, and later visits open as usual.
 */
let requested = false;

export function requestPasswordForm(): void {
  requested = true;
}

export function takePasswordFormRequest(): boolean {
  const was = requested;
  requested = false;
  return was;
}
