workspace "Shop" "Online store for a mid-sized retailer: catalogue browsing, carts, checkout and order tracking, with an admin back office." {
    !identifiers flat

    model {
        role_customer = person "customer" "A shopper; sees and changes only their own account and orders."
        role_staff = person "staff" "Back-office staff."
        role_admin = person "admin" "Full access."
        external_stripe = softwareSystem "stripe" "Card payments" {
            tags "External"
        }
        external_sendgrid = softwareSystem "sendgrid" "Transactional e-mail" {
            tags "External"
        }
        system_shop = softwareSystem "Shop" "Online store for a mid-sized retailer: catalogue browsing, carts, checkout and order tracking, with an admin back office." {
            service_catalog = container "catalog" "Products, categories and stock levels." "Service"
            service_ordering = container "ordering" "Orders, order items and checkout." "Service"
            service_accounts = container "accounts" "Customer accounts, authentication and roles." "Service"
            service_notifications = container "notifications" "Order confirmations and cancellation e-mails through SendGrid." "Service"
            store_database = container "Database" "Stores the system's records." "PostgreSQL" {
                tags "Database"
            }
            store_cache = container "Cache" "Holds hot reads and rate-limit counters." "Redis" {
                tags "Database"
            }
            store_queue = container "Message broker" "Carries the events between services." "RabbitMQ" {
                tags "Queue"
            }
        }

        role_customer -> system_shop "Uses the API" "HTTPS"
        role_staff -> system_shop "Uses the API" "HTTPS"
        role_admin -> system_shop "Uses the API" "HTTPS"
        service_ordering -> service_catalog "reserve stock at checkout" "HTTP"
        service_ordering -> service_accounts "look up the customer" "HTTP"
        service_catalog -> store_queue "Publishes product.stock-low" "AMQP"
        service_ordering -> store_queue "Publishes order.placed" "AMQP"
        service_ordering -> store_queue "Publishes order.cancelled" "AMQP"
        store_queue -> service_ordering "Delivers product.stock-low" "AMQP"
        store_queue -> service_notifications "Delivers order.placed" "AMQP"
        store_queue -> service_notifications "Delivers order.cancelled" "AMQP"
        service_catalog -> store_database "Reads and writes" "SQL"
        service_ordering -> store_database "Reads and writes" "SQL"
        service_accounts -> store_database "Reads and writes" "SQL"
        service_catalog -> store_cache "Uses"
        service_ordering -> store_cache "Uses"
        service_accounts -> store_cache "Uses"
        system_shop -> external_stripe "Card payments" "HTTPS"
        system_shop -> external_sendgrid "Transactional e-mail" "HTTPS"
    }

    views {
        systemContext system_shop "SystemContext" {
            include *
            autolayout lr
        }
        container system_shop "Containers" {
            include *
            autolayout lr
        }
        styles {
            element "Person" {
                shape Person
            }
            element "Database" {
                shape Cylinder
            }
            element "Queue" {
                shape Pipe
            }
            element "External" {
                background #999999
            }
        }
    }
}
