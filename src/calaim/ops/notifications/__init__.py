"""The inbox: notifications with unread counts, and email through an outbox (`calaim worker`)."""
