import { type ReactNode, useEffect } from 'react';

/** One page: its heading (the document's title too) and, beside it, its main actions. */
export function Page({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · Modelport`;
  }, [title]);
  return (
    <>
      <div className="page-head">
        <h1>{title}</h1>
        {actions}
      </div>
      <div className="stack">{children}</div>
    </>
  );
}
