workspace "ParcelFlow" "Parcel delivery for a regional courier: shipment booking, dispatch to drivers, live tracking, billing and customer notifications, built as services that communicate through events." {
    !identifiers flat

    model {
        role_merchant = person "merchant" "A merchant's integration; reaches only that merchant's shipments and invoices."
        role_dispatcher = person "dispatcher" "Plans routes and assigns drivers."
        role_admin = person "admin" "Operations staff."
        external_twilio = softwareSystem "twilio" "SMS delivery" {
            tags "External"
        }
        external_postmark = softwareSystem "postmark" "E-mail delivery" {
            tags "External"
        }
        external_stripe = softwareSystem "stripe" "Invoice payments" {
            tags "External"
        }
        system_parcelflow = softwareSystem "ParcelFlow" "Parcel delivery for a regional courier: shipment booking, dispatch to drivers, live tracking, billing and customer notifications, built as services that communicate through events." {
            service_shipments = container "shipments" "Booking, labels and the shipment lifecycle." "Service"
            service_dispatch = container "dispatch" "Routes, drivers and assignment of shipments to routes." "Service"
            service_tracking = container "tracking" "Scan events and the public tracking timeline." "Service"
            service_billing = container "billing" "Prices, invoices and payment status." "Service"
            service_notifications = container "notifications" "E-mail and SMS to recipients and merchants." "Go"
            store_database = container "Database" "Stores the system's records." "PostgreSQL" {
                tags "Database"
            }
            store_cache = container "Cache" "Holds hot reads and rate-limit counters." "Redis" {
                tags "Database"
            }
            store_queue = container "Message broker" "Carries the events between services." "Kafka" {
                tags "Queue"
            }
            store_search = container "Search engine" "Serves full-text search." "Elasticsearch" {
                tags "Database"
            }
        }

        role_merchant -> system_parcelflow "Uses the API" "HTTPS"
        role_dispatcher -> system_parcelflow "Uses the API" "HTTPS"
        role_admin -> system_parcelflow "Uses the API" "HTTPS"
        service_shipments -> service_billing "price quote at booking" "GRPC"
        service_shipments -> store_queue "Publishes shipment.booked" "Kafka"
        service_shipments -> store_queue "Publishes shipment.cancelled" "Kafka"
        store_queue -> service_shipments "Delivers delivery.completed" "Kafka"
        store_queue -> service_shipments "Delivers delivery.failed" "Kafka"
        service_dispatch -> store_queue "Publishes route.planned" "Kafka"
        service_dispatch -> store_queue "Publishes delivery.completed" "Kafka"
        service_dispatch -> store_queue "Publishes delivery.failed" "Kafka"
        store_queue -> service_dispatch "Delivers shipment.booked" "Kafka"
        store_queue -> service_dispatch "Delivers shipment.cancelled" "Kafka"
        service_tracking -> store_queue "Publishes tracking.updated" "Kafka"
        store_queue -> service_tracking "Delivers shipment.booked" "Kafka"
        store_queue -> service_tracking "Delivers route.planned" "Kafka"
        store_queue -> service_tracking "Delivers delivery.completed" "Kafka"
        store_queue -> service_tracking "Delivers delivery.failed" "Kafka"
        store_queue -> service_billing "Delivers delivery.completed" "Kafka"
        store_queue -> service_notifications "Delivers tracking.updated" "Kafka"
        store_queue -> service_notifications "Delivers shipment.booked" "Kafka"
        service_shipments -> store_database "Reads and writes" "SQL"
        service_dispatch -> store_database "Reads and writes" "SQL"
        service_tracking -> store_database "Reads and writes" "SQL"
        service_billing -> store_database "Reads and writes" "SQL"
        service_shipments -> store_cache "Uses"
        service_dispatch -> store_cache "Uses"
        service_tracking -> store_cache "Uses"
        service_billing -> store_cache "Uses"
        service_shipments -> store_search "Uses"
        service_dispatch -> store_search "Uses"
        service_tracking -> store_search "Uses"
        service_billing -> store_search "Uses"
        system_parcelflow -> external_twilio "SMS delivery" "HTTPS"
        system_parcelflow -> external_postmark "E-mail delivery" "HTTPS"
        system_parcelflow -> external_stripe "Invoice payments" "HTTPS"
    }

    views {
        systemContext system_parcelflow "SystemContext" {
            include *
            autolayout lr
        }
        container system_parcelflow "Containers" {
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
