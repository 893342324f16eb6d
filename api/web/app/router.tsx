/** Addresses inside the app: history API navigation, and links that use it without a page load. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const CHANGE = 'sohoa:navigate';

export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.dispatchEvent(new Event(CHANGE));
}

export interface Location {
  path: string;
  params: URLSearchParams;
}

export function useLocation(): Location {
  const read = () => ({ path: location.pathname, params: new URLSearchParams(location.search) });
  const [current, setCurrent] = useState<Location>(read);
  useEffect(() => {
    const update = () => setCurrent(read());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return current;
}

export function Link({ href, children, ...rest }: { href: string; children: ComponentChildren; class?: string; title?: string }) {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
