import { type ReactElement, type ReactNode, cloneElement, useId } from 'react';

interface Props {
  label: ReactNode;
  /** One input, select or textarea; it receives the id the label points at. */
  children: ReactElement<{ id?: string }>;
  className?: string;
  hint?: ReactNode;
}

/**
 * A labelled control whose accessible name is exactly its label text: the label points at the
 * control by id instead of wrapping it, so a select's chosen option does not leak into its name.
 */
export function Field({ label, children, className, hint }: Props) {
  const id = useId();
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id })}
      {hint && <span className="muted">{hint}</span>}
    </div>
  );
}
