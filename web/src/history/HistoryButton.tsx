import { DialogButton } from "../app-shell/DialogButton.tsx";
import { HistoryPanel } from "./HistoryPanel.tsx";

const CLOCK_ICON = "M3.5 12a8.5 8.5 0 1 0 2.5-6M3.5 4v4h4M12 7.5V12l3 2";

/** Opens the version history; focus comes back here when it closes. */
export function HistoryButton() {
  return (
    <DialogButton label="History" icon={CLOCK_ICON} dialog={(close) => <HistoryPanel onClose={close} />} />
  );
}
