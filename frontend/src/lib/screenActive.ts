import { createContext } from 'react';

// ScreenActive says whether the screen around a component is the one on
// show. Every screen stays mounted (hidden when inactive) so its state
// survives switching; what a hidden screen would only refresh — its traffic
// list paging rows from Go on every batch — waits until it is shown again.
export const ScreenActive = createContext(true);
