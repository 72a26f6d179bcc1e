import { Button, ButtonProps, Tooltip } from '@material-ui/core';

/**
 * A button that, when it may not be used, says why on hover (a disabled
 * button gets no mouse events, so the tooltip sits on a wrapper).
 */
export function ActionButton({
  refusal,
  disabled,
  ...props
}: ButtonProps & { refusal?: string }) {
  if (!refusal) {
    return <Button {...props} disabled={disabled} />;
  }
  return (
    <Tooltip title={refusal}>
      <span>
        <Button {...props} disabled />
      </span>
    </Tooltip>
  );
}
