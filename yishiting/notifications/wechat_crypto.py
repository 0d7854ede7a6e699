"""The official account's message encryption (安全模式, and 兼容模式's encrypted half), as WeChat publishes it
(公众号 › 消息加解密说明; the same scheme as its WXBizMsgCrypt samples):

- the key: EncodingAESKey (43 characters set in the account's server configuration) + "=", Base64-decoded: 32
  bytes. AES-256-CBC with that key and the key's first 16 bytes as the IV; PKCS#7 padding to 32-byte blocks.
- the plaintext: 16 random bytes, the message's length (4 bytes, network order), the message (UTF-8 XML), the
  account's AppID. A message whose AppID is not ours is refused.
- the signature of an encrypted body: msg_signature = sha1 of token, timestamp, nonce and the Base64 ciphertext,
  sorted as strings and joined.

A passive reply in safe mode goes back encrypted the same way, in an <Encrypt>/<MsgSignature>/<TimeStamp>/<Nonce>
envelope. Tested against WeChat's own sample vector (notifications/tests/test_wechat_safe_mode.py).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeChat pads to 32 bytes (PKCS#7 with k = 32), not AES's 16


class WechatCryptoError(Exception):
    """A body that cannot be ours: bad Base64, bad padding, bad length or another account's AppID."""


def aes_key(encoding_aes_key: str) -> bytes:
    """The AES key of an EncodingAESKey; ValueError for anything that is not 43 Base64 characters."""
    if len(encoding_aes_key) != 43:
        raise ValueError("EncodingAESKey must be 43 characters")
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error as exc:
        raise ValueError("EncodingAESKey is not Base64") from exc
    return key


def msg_signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()


def msg_signature_valid(signature: str, token: str, timestamp: str, nonce: str, encrypted: str) -> bool:
    return bool(signature) and hmac.compare_digest(signature.lower(), msg_signature(token, timestamp, nonce, encrypted))


def _cipher(key: bytes) -> Cipher:
    return Cipher(algorithms.AES(key), modes.CBC(key[:16]))


def decrypt(key: bytes, encrypted: str, app_id: str) -> bytes:
    """The message inside an <Encrypt> value, checked to be addressed from our AppID."""
    try:
        data = base64.b64decode(encrypted, validate=True)
    except binascii.Error as exc:
        raise WechatCryptoError("not base64") from exc
    if not data or len(data) % 16:
        raise WechatCryptoError("not whole AES blocks")
    decryptor = _cipher(key).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
        raise WechatCryptoError("bad padding")
    plain = plain[:-pad]
    if len(plain) < 20:
        raise WechatCryptoError("too short")
    (length,) = struct.unpack(">I", plain[16:20])
    message, receiver = plain[20:20 + length], plain[20 + length:]
    if len(message) != length or not hmac.compare_digest(receiver, app_id.encode()):
        raise WechatCryptoError("not for this account")
    return message


def encrypt(key: bytes, message: bytes, app_id: str, *, random16: bytes | None = None) -> str:
    """The Base64 <Encrypt> value of `message` (a reply), as WeChat decrypts it."""
    plain = (random16 if random16 is not None else os.urandom(16)) + struct.pack(">I", len(message)) + message
    plain += app_id.encode()
    pad = BLOCK - len(plain) % BLOCK
    plain += bytes([pad]) * pad
    encryptor = _cipher(key).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def envelope(key: bytes, token: str, app_id: str, message: bytes, *, timestamp: str, nonce: str) -> bytes:
    """A passive reply in safe mode: the encrypted message and its signature."""
    encrypted = encrypt(key, message, app_id)
    signature = msg_signature(token, timestamp, nonce, encrypted)
    return (f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt><MsgSignature><![CDATA[{signature}]]></MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>").encode()
