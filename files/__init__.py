"""The file store: evidence and uploads kept as content (docs/decisions/0012-files-are-content.md).

A file is stored once under its SHA-256, streamed with a size cap and admitted only if its
bytes are one of the allowed kinds (`files.kinds`); the name a person gave it is a label kept
beside the hash by whoever records it, never a path. `files.store.FileStore` is the port
(put / open / stat / exists); `files.local.LocalFileStore` keeps files in a folder. The room
imports nothing of ours: services record what was stored, adapters hand in streams.
"""
