import { type ReactNode, useId } from 'react';

/** A titled group of setting rows on the settings page. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="settings-section" aria-labelledby={id}>
      <h2 id={id} className="settings-heading">
        {title}
      </h2>
      <div className="settings-card">{children}</div>
    </section>
  );
}
