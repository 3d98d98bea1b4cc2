import { QueryClientProvider } from '@tanstack/react-query';
import { Suspense } from 'react';
import { Route, Router, Switch } from 'wouter';
import { SignInProvider, useSignIn } from './access/signed-in.js';
import { queryClient } from './api/query-client.js';
import { Shell } from './layout/shell.js';
import {
  Audit,
  ChatPlayground,
  CompletionsPlayground,
  DeploymentDetail,
  Deployments,
  EmbeddingsPlayground,
  ImagePlayground,
  Keys,
  ModelDetail,
  Models,
  Playgrounds,
  TabularPlayground,
  TensorPlayground,
  TrainingJobPage,
  TrainingJobs,
  TranscriptionPlayground,
  Usage,
} from './pages/lazy-pages.js';
import { NotFound } from './pages/not-found.js';
import { Overview } from './pages/overview.js';
import { SignIn } from './pages/sign-in.js';

/** Every page but sign-in needs a key the server accepted. */
function Gate() {
  const { state } = useSignIn();
  if (state.status === 'checking') {
    return (
      <main id="main" className="sign-in">
        <p role="status">Checking the key…</p>
      </main>
    );
  }
  if (state.status === 'signed-out') return <SignIn reason={state.reason} />;
  return (
    <Shell>
      <Suspense fallback={<p role="status">Loading the page…</p>}>
        <Switch>
          <Route path="/">
            <Overview />
          </Route>
          <Route path="/models">
            <Models />
          </Route>
          <Route path="/models/:name">
            {(p) => <ModelDetail key={p.name} name={decodeURIComponent(p.name)} />}
          </Route>
          <Route path="/deployments">
            <Deployments />
          </Route>
          <Route path="/deployments/:name">
            {(p) => <DeploymentDetail key={p.name} name={decodeURIComponent(p.name)} />}
          </Route>
          <Route path="/playground">
            <Playgrounds />
          </Route>
          <Route path="/playground/completions">
            <CompletionsPlayground />
          </Route>
          <Route path="/playground/embeddings">
            <EmbeddingsPlayground />
          </Route>
          <Route path="/playground/transcription">
            <TranscriptionPlayground />
          </Route>
          <Route path="/playground/tabular">
            <TabularPlayground />
          </Route>
          <Route path="/playground/tensor">
            <TensorPlayground />
          </Route>
          <Route path="/playground/chat">
            <ChatPlayground />
          </Route>
          <Route path="/playground/image">
            <ImagePlayground />
          </Route>
          <Route path="/training">
            <TrainingJobs />
          </Route>
          <Route path="/training/:id">
            {(p) => <TrainingJobPage key={p.id} id={decodeURIComponent(p.id)} />}
          </Route>
          <Route path="/keys">
            <Keys />
          </Route>
          <Route path="/usage">
            <Usage />
          </Route>
          <Route path="/audit">
            <Audit />
          </Route>
          <Route>
            <NotFound />
          </Route>
        </Switch>
      </Suspense>
    </Shell>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <SignInProvider>
        <Router base="/console">
          <Gate />
        </Router>
      </SignInProvider>
    </QueryClientProvider>
  );
}
