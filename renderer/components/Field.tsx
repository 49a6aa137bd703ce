import { type ReactElement, type ReactNode, cloneElement, useId } from 'react';

interface Props {
  label: ReactNode;
  /** One input, select or textarea; it receives the id the label points at. */
  children: ReactElement<{ id?: string }>;
  className?: string;
  hint?: ReactNode;
  /** Shows a required mark beside the label, outside it: the control's name stays the label. */
  required?: boolean;
}

/**
 * A labelled control whose accessible name is exactly its label text: the label points at the
 * control by id instead of wrapping it, so a select's chosen option does not leak into its name.
 */
export function Field({ label, children, className, hint, required = false }: Props) {
  const id = useId();
  return (
    <div className={`field ${className ?? ''}`}>
      {required ? (
        <div className="label-row">
          <label htmlFor={id}>{label}</label>
          <span className="req" aria-hidden="true">
            *
          </span>
        </div>
      ) : (
        <label htmlFor={id}>{label}</label>
      )}
      {cloneElement(children, { id })}
      {hint && <span className="muted">{hint}</span>}
    </div>
  );
}
