import {
  assertTargetAllowed,
  checkWebhookTarget,
  isPrivateAddress,
  PrivateAddressError,
} from './outbound-address.guard.js';

describe('outbound address guard', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('treats %s as private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'treats %s as public',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );

  it('refuses loopback and private literals at registration unless allowed', async () => {
    await expect(checkWebhookTarget('http://127.0.0.1:8080/hook', false)).resolves.toBeInstanceOf(
      PrivateAddressError,
    );
    await expect(checkWebhookTarget('http://[::1]/hook', false)).resolves.toBeInstanceOf(
      PrivateAddressError,
    );
    await expect(checkWebhookTarget('http://localhost/hook', false)).resolves.toBeInstanceOf(
      PrivateAddressError,
    );
    await expect(checkWebhookTarget('http://127.0.0.1:8080/hook', true)).resolves.toBeUndefined();
    await expect(checkWebhookTarget('https://93.184.216.34/hook', false)).resolves.toBeUndefined();
  });

  it('refuses private literals before connecting', () => {
    expect(() => assertTargetAllowed('http://10.0.0.5/x', false)).toThrow(PrivateAddressError);
    expect(() => assertTargetAllowed('http://10.0.0.5/x', true)).not.toThrow();
  });
});
