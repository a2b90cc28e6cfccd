-- Reserved for the messages work (merged separately); a placeholder so the
-- numbers stay in step until it lands.
SELECT 1;
