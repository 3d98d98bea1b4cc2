import { Link } from 'wouter';
import { Page } from '../components/page.js';

export function NotFound() {
  return (
    <Page title="Not found">
      <p>
        The console has no such page. <Link href="/">Back to the overview</Link>.
      </p>
    </Page>
  );
}
