//! Messages to people: their kinds (each kind names the channels it goes out on) and the
//! channels.

crate::named_enum! {
    /// What a message is about.
    pub enum MessageKind {
        /// Vouchers bought: their codes and the link to their QR codes.
        VoucherIssued = "voucher_issued",
        /// A menu order moved on (accepted, ready, delivered, cancelled).
        OrderUpdate = "order_update",
        /// Someone was invited to a merchant's staff.
        StaffInvitation = "staff_invitation",
        /// A merchant's message to its members (their consent rules apply).
        MemberMessage = "member_message",
        /// A code to reset a password.
        PasswordReset = "password_reset",
        /// A code to verify a phone or an e-mail address.
        VerificationCode = "verification_code",
        /// A booking's reminder.
        BookingReminder = "booking_reminder",
    }
}

crate::named_enum! {
    /// Where a message goes besides the in-app message centre.
    pub enum Channel {
        /// A text message to the person's phone.
        Sms = "sms",
        /// An e-mail to the person's address.
        Email = "email",
        /// Lokal's signed webhook, for another gateway.
        Webhook = "webhook",
    }
}
