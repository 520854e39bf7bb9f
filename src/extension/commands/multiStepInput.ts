/**
 * A multi-step input on VS Code's QuickInput API (createInputBox / createQuickPick with `step` and
 * `totalSteps`): a Back button on every step after the first, values kept when going back, an
 * optional review step that jumps to a field and returns, and Escape or close with something
 * typed asks before discarding it. Used by Create Incident, Add Environment and Set API Key.
 * Each step reads and writes the caller's own state object, so nothing typed is lost between steps.
 */
import * as vscode from 'vscode';

/** What a step did: go on, go back, stop, or jump to step `goto` (0-based) and come back after it. */
export type StepOutcome = 'next' | 'back' | 'cancel' | { goto: number };

/** How the person left an input: accepted it, pressed Back, or closed it (Escape, focus, hide). */
export type InputExit = 'accept' | 'back' | 'cancel';

export interface InputBoxOptions {
  prompt?: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  /** Checked on every keystroke and on Enter; a message keeps the box open */
  validate?: (value: string) => string | undefined;
  /**
   * Checked on Enter after `validate` passes (e.g. verifying a key with the API): the box stays
   * open and busy meanwhile, and stays open with what was typed and the returned message when it
   * is one. `signal` aborts when the box closes. `recheck` runs the check again on the box's
   * current value (e.g. a notification's Retry); it returns false when the box is closed.
   */
  check?: (value: string, signal: AbortSignal, recheck: () => boolean) => Promise<string | undefined>;
}

export interface PickOptions<T extends vscode.QuickPickItem> {
  placeholder?: string;
  items: readonly T[];
  /** Rows ticked at the start (multi-select) */
  selected?: readonly T[];
  /** Row highlighted at the start */
  active?: T;
  canSelectMany?: boolean;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
  /** Multi-select: the placeholder shown when Enter is pressed with nothing ticked */
  emptyMessage?: string;
}

/** What one step gets: its widgets, already numbered ("2/5") and with Back where it belongs. */
export interface StepIO {
  /** @returns how the box was left and its value then (also on Back and cancel, to keep it) */
  inputBox(opts: InputBoxOptions): Promise<{ exit: InputExit; value: string }>;
  /**
   * Single select: Enter takes the highlighted row. Multi-select (checkboxes): Enter while the
   * filter has text ticks the highlighted row and clears the filter; Enter on an empty filter
   * continues when something is ticked, and otherwise says what to do instead of closing.
   * @returns how the pick was left and the rows chosen or ticked then
   */
  pick<T extends vscode.QuickPickItem>(opts: PickOptions<T>): Promise<{ exit: InputExit; selected: readonly T[] }>;
}

export type Step = (io: StepIO) => Promise<StepOutcome>;

/**
 * Runs `steps` in order until the last one returns 'next'.
 * @param opts.title every step's title
 * @param opts.isDirty whether anything was typed (then a close asks `discardQuestion` first)
 * @param opts.discardQuestion e.g. "Discard the new incident?"
 * @param opts.startAt the step to open first (0-based; Back from it goes to the one before)
 * @returns true when the last step finished, false when the person cancelled
 */
export async function runSteps(opts: { title: string; steps: Step[]; isDirty?: () => boolean; discardQuestion?: string; startAt?: number }): Promise<boolean> {
  let index = Math.min(Math.max(0, opts.startAt ?? 0), opts.steps.length - 1);
  const history: number[] = Array.from({ length: index }, (_, i) => i);
  let returnTo: number | undefined;
  while (index < opts.steps.length) {
    const io = stepIO(opts.title, index + 1, opts.steps.length, history.length > 0);
    const outcome = await opts.steps[index](io);
    if (outcome === 'cancel') {
      if (opts.isDirty?.() && !(await confirmDiscard(opts.discardQuestion ?? 'Discard what you typed?'))) continue;
      return false;
    }
    if (outcome === 'back') {
      index = history.pop() ?? index;
      returnTo = undefined;
    } else if (outcome === 'next') {
      history.push(index);
      if (returnTo !== undefined) [index, returnTo] = [returnTo, undefined];
      else index++;
    } else {
      history.push(index);
      returnTo = index;
      index = outcome.goto;
    }
  }
  return true;
}

/** A modal: "Discard" or "Keep Editing" (also Escape). @returns true to discard */
async function confirmDiscard(question: string): Promise<boolean> {
  const discard: vscode.MessageItem = { title: 'Discard' };
  const keep: vscode.MessageItem = { title: 'Keep Editing', isCloseAffordance: true };
  const choice = await vscode.window.showWarningMessage(question, { modal: true, detail: 'What you typed is not kept.' }, discard, keep);
  return choice === discard;
}

function stepIO(title: string, step: number, totalSteps: number, canGoBack: boolean): StepIO {
  const decorate = (w: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[] }) => {
    w.title = title;
    w.step = totalSteps > 1 ? step : undefined;
    w.totalSteps = totalSteps > 1 ? totalSteps : undefined;
    w.ignoreFocusOut = true;
    w.buttons = canGoBack ? [vscode.QuickInputButtons.Back] : [];
  };
  return {
    inputBox: (o) =>
      new Promise((resolve) => {
        const box = vscode.window.createInputBox();
        decorate(box);
        box.prompt = o.prompt;
        box.placeholder = o.placeholder;
        box.value = o.value ?? '';
        box.password = o.password ?? false;
        box.validationMessage = o.value ? o.validate?.(o.value) : undefined;
        let closed = false;
        let checking: AbortController | undefined;
        const finish = (exit: InputExit) => {
          if (closed) return;
          closed = true;
          checking?.abort();
          resolve({ exit, value: box.value });
          box.dispose();
        };
        const accept = async () => {
          const problem = o.validate?.(box.value);
          if (problem) {
            box.validationMessage = problem;
            return;
          }
          if (!o.check) return finish('accept');
          if (checking) return;
          checking = new AbortController();
          box.busy = true;
          box.enabled = false;
          box.validationMessage = undefined;
          const mine = checking;
          let message: string | undefined;
          try {
            message = await o.check(box.value, mine.signal, recheck);
          } finally {
            if (checking === mine) checking = undefined;
            if (!closed) {
              box.busy = false;
              box.enabled = true;
            }
          }
          if (closed) return;
          if (message) box.validationMessage = { message, severity: vscode.InputBoxValidationSeverity.Error };
          else finish('accept');
        };
        const recheck = () => {
          if (closed) return false;
          void accept();
          return true;
        };
        box.onDidChangeValue((v) => (box.validationMessage = o.validate?.(v)));
        box.onDidAccept(() => void accept());
        box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish('back'));
        box.onDidHide(() => finish('cancel'));
        box.show();
      }),
    pick: <T extends vscode.QuickPickItem>(o: PickOptions<T>) =>
      new Promise<{ exit: InputExit; selected: readonly T[] }>((resolve) => {
        const qp = vscode.window.createQuickPick<T>();
        decorate(qp);
        qp.placeholder = o.placeholder;
        qp.canSelectMany = o.canSelectMany ?? false;
        qp.matchOnDescription = o.matchOnDescription ?? false;
        qp.matchOnDetail = o.matchOnDetail ?? false;
        qp.items = o.items;
        if (o.selected) qp.selectedItems = o.selected;
        if (o.active) qp.activeItems = [o.active];
        let closed = false;
        // In a multi-select VS Code highlights no row while filtering: highlight the first row
        // the text appears in, the one Enter ticks.
        const firstMatch = (text: string) => {
          const t = text.trim().toLowerCase();
          return t ? o.items.find((i) => [i.label, i.description, i.detail].some((x) => x?.toLowerCase().includes(t))) : undefined;
        };
        qp.onDidChangeValue((v) => {
          const match = qp.canSelectMany ? firstMatch(v) : undefined;
          if (match) qp.activeItems = [match];
        });
        const finish = (exit: InputExit, selected: readonly T[]) => {
          if (closed) return;
          closed = true;
          resolve({ exit, selected });
          qp.dispose();
        };
        qp.onDidAccept(() => {
          if (!qp.canSelectMany) {
            const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
            if (chosen) finish('accept', [chosen]);
            return;
          }
          const active = qp.activeItems[0] ?? firstMatch(qp.value);
          if (qp.value.trim() && active) {
            // Space types into the filter, so Enter is the keyboard's way to tick a found row.
            if (!qp.selectedItems.includes(active)) qp.selectedItems = [...qp.selectedItems, active];
            qp.value = '';
            return;
          }
          if (qp.selectedItems.length) finish('accept', qp.selectedItems);
          else if (o.emptyMessage) qp.placeholder = o.emptyMessage;
        });
        qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish('back', qp.selectedItems));
        qp.onDidHide(() => finish('cancel', qp.selectedItems));
        qp.show();
      }),
  };
}
