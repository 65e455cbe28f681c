// Keeps a crashing page from blanking the whole app: shows the error where the page would be.

import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (this.state.error) {
      return (
        <div className="callout danger" role="alert">
          <strong>Something went wrong.</strong> {this.state.error.message}
        </div>
      );
    }
    return this.props.children;
  }
}
