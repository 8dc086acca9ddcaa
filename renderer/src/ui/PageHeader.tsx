import type { ReactNode } from 'react';
import { useApp } from '../store';
import { Icon } from './Icon';

/** The top of a page over the list: back to the accounts, and the page's title. */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  const setView = useApp((state) => state.setView);
  return (
    <header className="topbar page-header">
      <button type="button" className="icon-button toolbar-button" aria-label="Back to accounts" title="Back (Esc)" onClick={() => setView({ name: 'list' })}>
        <Icon name="back" size={18} />
      </button>
      <h1 className="page-title">{title}</h1>
      {children}
    </header>
  );
}
