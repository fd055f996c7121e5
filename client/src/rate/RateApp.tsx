import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { Route, Switch } from 'wouter';
import { JoinPage } from '../auth/JoinPage.tsx';
import { SignInPage } from '../auth/SignInPage.tsx';
import { RateHome } from './RateHome.tsx';
import { AnnotateStudy } from './annotate/AnnotateStudy.tsx';
import { StudyRating } from './StudyRating.tsx';

/** Routes of the rater app: sign-in, invite links, and the rating pages. */
export function RateApp() {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } } }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <Switch>
        <Route path="/signin" component={SignInPage} />
        <Route path="/join/:token">{(p) => <JoinPage token={p.token} />}</Route>
        {/* Annotation studies (ids start with an-) judge transcripts; the others rate realism. */}
        <Route path="/rate/:studyId">
          {(p) =>
            p.studyId.startsWith('an-') ? <AnnotateStudy studyId={p.studyId} /> : <StudyRating studyId={p.studyId} />
          }
        </Route>
        <Route path="/rate" component={RateHome} />
      </Switch>
    </QueryClientProvider>
  );
}
